"""Background tasks of the publisher and their periodic schedule (run by `govsites worker`)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.management import call_command
from django.tasks import task

from govsites.core import periodic

logger = logging.getLogger(__name__)


# Publication outranks housekeeping (e.g. Wagtail's reference index) in the queue: the public
# should see an approved item within a second.
@task(priority=50)
def publish_changes(page_ids: list[int], container_ids: list[int] | None = None) -> dict[str, Any]:
    """Write the changed pages and everything that shows them (incremental publishing).

    The item itself, its reprints and their columns' listings are written here: when this task
    ends the item is live. What summarises a whole site (its home page, site feeds, sitemaps)
    grows with the site, so it is written by `publish_targets`, queued right behind."""
    from .publisher import publish_plan
    from .render import RenderSession, prefix_like_indexes
    from .targets import Plan, plan_for_pages, site_wide

    with prefix_like_indexes():
        session = RenderSession.load()
        plan = plan_for_pages(session, page_ids, container_ids or [])
        later = {t for t in plan.targets if site_wide(session, t)}
        stats = publish_plan(Plan(plan.targets - later, plan.touched_page_ids), session)
    _announce(plan.touched_page_ids)
    if later:
        publish_targets.enqueue(keys=sorted(t.key for t in later))
    return {"targets": stats.targets, "written": stats.files_written,
            "removed": stats.files_removed, "errors": stats.errors[:20],
            "queued": len(later)}


@task(priority=45)
def publish_targets(keys: list[str]) -> dict[str, Any]:
    """Write the site-wide targets a publish touched (home pages, site feeds, sitemaps)."""
    from .publisher import Publisher
    from .render import RenderSession, prefix_like_indexes
    from .targets import Target

    with prefix_like_indexes():
        stats = Publisher(RenderSession.load()).write_targets(
            sorted(Target.parse(k) for k in keys))
    return {"targets": stats.targets, "written": stats.files_written,
            "errors": stats.errors[:20]}


def _announce(page_ids: set[int]) -> None:
    """Send pages_published for what this task wrote (see publishing/signals.py)."""
    from wagtail.models import Page

    from .signals import pages_published

    live = set(Page.objects.filter(pk__in=page_ids, live=True).values_list("pk", flat=True))
    for receiver, result in pages_published.send_robust(
            sender=publish_changes, pages=sorted(live), removed=sorted(set(page_ids) - live)):
        if isinstance(result, Exception):
            logger.error("pages_published receiver %r failed: %s", receiver, result,
                         exc_info=result)


@task()
def rebuild_all(site_ids: list[int] | None = None) -> dict[str, Any]:
    """Rebuild the whole published tree (after a change that touches every page)."""
    from . import services

    result = services.rebuild_sites(site_ids=site_ids, acting_user=None)
    return {"pages": result.stats.html_pages, "seconds": round(result.seconds, 2),
            "errors": result.stats.errors[:20]}


@task()
def publish_scheduled() -> None:
    """Publish revisions whose go-live time has come and unpublish expired pages."""
    call_command("publish_scheduled")


@task()
def run_guard() -> dict[str, Any]:
    """Compare the published tree with the manifest and restore what was tampered with."""
    from .guard import verify

    report = verify(restore=True, acting_user=None)
    return report.summary()


periodic.register("publishing.scheduled", every=dt.timedelta(minutes=1), task=publish_scheduled,
                  description="定时发布与定时下线",
                  interval_setting="GOVSITES_SCHEDULED_PUBLISH_INTERVAL_SECONDS")
periodic.register("publishing.guard", every=dt.timedelta(minutes=30), task=run_guard,
                  description="网页防篡改校验（发现即恢复并记录审计）",
                  interval_setting="GOVSITES_GUARD_INTERVAL_SECONDS")
