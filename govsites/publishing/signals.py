"""Signals other apps may listen to (search indexing, notifications).

pages_published(sender, pages, removed)
    Sent by the publish task (`publishing.tasks.publish_changes`) after the static files of a
    publish, withdrawal, archiving, repeal, unpublication, move or deletion are written.
    `pages`: ids of the pages that are live and were (re)written; `removed`: ids of pages whose
    files were taken down (unpublished, deleted or moved to another site). Sent once per task,
    after the files are on disk, outside any transaction; a receiver that raises does not stop
    publishing (errors are logged). sender is the `publish_changes` task function.

guard_alert(sender, kind, hostname, message, details)
    Sent by the guard when it refuses to act on its own and a person must look: today
    `kind="manifest_implausible"` (the manifest is missing, far smaller than the tree, or
    malformed; the guard rebuilt from the database instead of quarantining). The alert is also
    an audit record `publishing.guard.alert`; a notification framework connects here.
"""

from __future__ import annotations

from django.dispatch import Signal

pages_published = Signal()
guard_alert = Signal()
#: After each guard run that found tampering: hostname, incidents (kind, path), restored (bool).
guard_incidents = Signal()
