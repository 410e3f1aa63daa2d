"""The import run (导入批次): validate everything, then write in batches, resumably.

`run_import` validates the whole file first (every error with its line number, nothing
written but the refused run's record), then writes it `GOVSITES_IMPORT_BATCH_SIZE` records per
transaction, saving its position after each batch. Re-running the same file (same SHA-256)
continues an unfinished run; `rollback_import` undoes a run. Logins and page views wait at
most one batch for the database, never the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from govsites.core import audit

from ..choices import ImportRunState
from ..exceptions import ImportRefused
from ..models import ContentAttachment, ImportedItem, ImportRun, ImportRunEntry
from . import indexing
from .files import file_digest
from .parsing import ImportFileInvalid, ImportRecord, read_file
from .writing import BatchContext, ImportSummary, write_batch, write_order

Progress = Callable[[int, int, ImportRecord], None]


def _batch_size() -> int:
    return max(1, int(settings.GOVSITES_IMPORT_BATCH_SIZE))


def _is_alive(run: ImportRun) -> bool:
    if run.heartbeat_at is None:
        return False
    stale = dt.timedelta(seconds=int(settings.GOVSITES_IMPORT_STALE_SECONDS))
    return timezone.now() - run.heartbeat_at < stale


def unfinished_run(site_root: Page) -> ImportRun | None:
    """The site's import that was started and neither finished nor rolled back, if any."""
    return (ImportRun.objects.filter(site_root=site_root, state=ImportRunState.RUNNING)
            .order_by("-started_at", "-pk").first())


def _claim(site_root: Page, path: Path, digest: str, acting_user: Any) -> ImportRun | None:
    """Return the unfinished run of this file to resume, None to start a new one.

    Refuse while another file's import is unfinished, or while a live process is writing.
    """
    run = unfinished_run(site_root)
    if run is None:
        return None
    if run.file_digest != digest:
        raise ImportRefused(
            f"该网站有未完成的导入（文件“{run.file_name}”，{run.position}/{run.total} 条，"
            f"批次 {run.pk}）：请重新运行该文件完成导入，或用 --rollback 撤销后再导入其他文件。")
    if _is_alive(run):
        raise ImportRefused(f"文件“{path.name}”正在导入中（批次 {run.pk}，"
                            f"{run.position}/{run.total} 条），请等待其完成。")
    return run


def _refuse(*, site_root: Page, path: Path, digest: str, acting_user: Any,
            errors: list[tuple[int, str]]) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.create(
            site_root=site_root, file_name=path.name[:255], file_digest=digest,
            acting_user=acting_user, state=ImportRunState.REFUSED, finished_at=timezone.now(),
            errors=[[line, message] for line, message in errors[:1000]])
        audit.record(action="content.import.refuse", actor=acting_user, obj=site_root,
                     details={"run": run.pk, "file": run.file_name, "errors": len(errors)})
    return run


def _save_batch(run: ImportRun, batch: list[ImportRecord], ctx: BatchContext,
                summary: ImportSummary, progress: Progress | None) -> None:
    """Write one batch and the run's position in one short transaction."""
    with transaction.atomic(), indexing.deferred_indexing():
        done = write_batch(batch, ctx, summary)
        for record in batch:
            run.position += 1
            run.last_line = record.line
            if progress is not None:
                progress(run.position, run.total, record)
        ImportRunEntry.objects.bulk_create([
            ImportRunEntry(run=run, page_id=w.item.pk, line=w.record.line, created=w.created,
                           previous_revision_id=w.previous_revision_id,
                           previous_live_revision_id=w.previous_live_revision_id,
                           previous_fingerprint=w.previous_fingerprint)
            for w in done])
        run.created += summary.created
        run.updated += summary.updated
        run.unchanged += summary.unchanged
        run.held = [*run.held, *[list(h) for h in summary.held]]
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["position", "last_line", "created", "updated", "unchanged",
                                "held", "heartbeat_at"])
        indexing.flush()


def run_import(*, path: Path, site_root: Page, default_column: Any, acting_user: Any,
               progress: Progress | None = None) -> ImportRun:
    """Validate the whole file, then write it in batches; resume this file's unfinished run.

    Raise ImportFileInvalid (after recording the refused run) when any record is bad, and
    ImportRefused when another import of the site is unfinished or still running.
    """
    digest = file_digest(path)
    run = _claim(site_root, path, digest, acting_user)
    try:
        records = read_file(path, site_root=site_root, default_column=default_column)
    except ImportFileInvalid as exc:
        if run is None:
            _refuse(site_root=site_root, path=path, digest=digest, acting_user=acting_user,
                    errors=exc.errors)
        raise
    ordered = write_order(records)
    if run is None:
        run = ImportRun.objects.create(site_root=site_root, file_name=path.name[:255],
                                       file_digest=digest, acting_user=acting_user,
                                       total=len(ordered), heartbeat_at=timezone.now())
    elif run.total != len(ordered):
        raise ImportRefused(f"批次 {run.pk} 的记录数（{run.total}）与文件不符，无法继续；"
                            "请用 --rollback 撤销后重新导入。")
    ctx = BatchContext(site_root=site_root, acting_user=acting_user)
    size = _batch_size()
    try:
        for start in range(run.position, len(ordered), size):
            _save_batch(run, ordered[start:start + size], ctx, ImportSummary(), progress)
    except BaseException:
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=None)
        raise
    with transaction.atomic():
        run.state = ImportRunState.DONE
        run.finished_at = timezone.now()
        run.heartbeat_at = None
        run.save(update_fields=["state", "finished_at", "heartbeat_at"])
        audit.record(action="content.import.run", actor=acting_user, obj=site_root,
                     details={"run": run.pk, "file": run.file_name, "created": run.created,
                              "updated": run.updated, "unchanged": run.unchanged,
                              "held": [h[0] for h in run.held]})
    return run


def write_records(*, records: list[ImportRecord], site_root: Page, acting_user: Any,
                  progress: Progress | None = None) -> ImportSummary:
    """Write already validated records in one transaction, without an import run.

    For small built-in sets (the demo loader); files from outside go through `run_import`.
    """
    ctx = BatchContext(site_root=site_root, acting_user=acting_user)
    summary = ImportSummary()
    ordered = write_order(records)
    with transaction.atomic(), indexing.deferred_indexing():
        write_batch(ordered, ctx, summary)
        for n, record in enumerate(ordered, start=1):
            if progress is not None:
                progress(n, len(ordered), record)
        audit.record(action="content.import.run", actor=acting_user, obj=site_root,
                     details={"created": summary.created, "updated": summary.updated,
                              "unchanged": summary.unchanged,
                              "held": [h[0] for h in summary.held]})
        indexing.flush()
    return summary


def runs_of_file(*, site_root: Page, path: Path) -> Any:
    """The runs of this file (by digest) into the site, newest first."""
    return ImportRun.objects.filter(site_root=site_root, file_digest=file_digest(path))


def _undo_entry(entry: ImportRunEntry, acting_user: Any) -> None:
    page = Page.objects.filter(pk=entry.page_id).first()
    if page is None:
        return
    item = page.specific
    if entry.created:
        documents = [a.document for a in ContentAttachment.objects.filter(item_id=page.pk)
                     .select_related("document")]
        item.delete()
        for document in documents:
            document.delete()
        return
    ImportedItem.objects.filter(page_id=page.pk).update(fingerprint=entry.previous_fingerprint)
    live = Revision.objects.filter(pk=entry.previous_live_revision_id).first()
    if live is not None:
        live.publish(user=acting_user)
    elif item.live:
        item.unpublish(user=acting_user)
    previous = Revision.objects.filter(pk=entry.previous_revision_id).first()
    if previous is not None and previous.pk != (live.pk if live else None):
        previous.as_object().save_revision(user=acting_user)


def rollback_import(*, run: ImportRun, acting_user: Any) -> ImportRun:
    """Undo a run: delete the items it created, restore the ones it changed (newest first).

    Works in batches like the import; an interrupted rollback is finished by running it again.
    """
    if run.state not in (ImportRunState.RUNNING, ImportRunState.DONE):
        raise ImportRefused(f"批次 {run.pk} 状态为“{run.get_state_display()}”，无需撤销。")
    if run.state == ImportRunState.RUNNING and _is_alive(run):
        raise ImportRefused(f"批次 {run.pk} 正在导入中，不能撤销。")
    size = _batch_size()
    while True:
        entries = list(run.entries.order_by("-line", "-pk")[:size])
        if not entries:
            break
        with transaction.atomic(), indexing.deferred_indexing():
            for entry in entries:
                _undo_entry(entry, acting_user)
            ImportRunEntry.objects.filter(pk__in=[e.pk for e in entries]).delete()
            indexing.flush()
    with transaction.atomic():
        before = run.state
        run.state = ImportRunState.ROLLED_BACK
        run.finished_at = timezone.now()
        run.heartbeat_at = None
        run.save(update_fields=["state", "finished_at", "heartbeat_at"])
        audit.record(action="content.import.rollback", actor=acting_user, obj=run.site_root,
                     details={"run": run.pk, "file": run.file_name, "state_before": before,
                              "created": run.created, "updated": run.updated})
    return run
