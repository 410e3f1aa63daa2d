"""Signal receivers: every publication, unpublication, move or deletion of a page queues an
incremental publish once the transaction commits."""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

_pending = threading.local()


def _state() -> tuple[set[int], set[int]]:
    if not hasattr(_pending, "pages"):
        _pending.pages = set()
        _pending.containers = set()
    return _pending.pages, _pending.containers


def flush_pending() -> None:
    """Enqueue one publish task for everything changed since the last flush."""
    pages, containers = _state()
    if not pages and not containers:
        return
    page_ids, container_ids = sorted(pages), sorted(containers)
    pages.clear()
    containers.clear()
    from .tasks import publish_changes

    publish_changes.enqueue(page_ids=page_ids, container_ids=container_ids)


def queue_change(page_id: int, container_id: int | None = None) -> None:
    """Remember a changed page and flush when the surrounding transaction commits.

    Each call registers its own on_commit callback: a rolled-back transaction drops its
    callbacks, and whatever it left in the pending set goes out with the next commit.
    """
    pages, containers = _state()
    pages.add(page_id)
    if container_id:
        containers.add(container_id)
    transaction.on_commit(flush_pending)


def _on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue_change(instance.pk)


def _on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue_change(instance.pk)


def _on_moved(sender: Any, instance: Any, parent_page_before: Any = None, **kwargs: Any) -> None:
    queue_change(instance.pk, getattr(parent_page_before, "pk", None))
    for pk in Page.objects.descendant_of(instance).values_list("pk", flat=True):
        queue_change(pk)


def _before_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, Page) or not instance.pk or not instance.path:
        return
    parent = instance.get_parent()
    instance._govsites_parent_id = parent.pk if parent is not None else None


def _after_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page) and instance.pk:
        queue_change(instance.pk, getattr(instance, "_govsites_parent_id", None))


def _on_home_notices(sender: Any, root_page_ids: list[int], **kwargs: Any) -> None:
    """A site's notices (开通公告, 域名调整公告) changed: re-render the home pages showing them."""
    for page_id in root_page_ids:
        queue_change(page_id)


def connect() -> None:
    """Connect the receivers (called from PublishingConfig.ready)."""
    from govsites.sites.signals import home_notices_changed

    home_notices_changed.connect(_on_home_notices, dispatch_uid="publishing.home_notices")

    page_published.connect(_on_published, dispatch_uid="publishing.page_published")
    page_unpublished.connect(_on_unpublished, dispatch_uid="publishing.page_unpublished")
    post_page_move.connect(_on_moved, dispatch_uid="publishing.page_moved")
    pre_delete.connect(_before_delete, dispatch_uid="publishing.page_pre_delete")
    post_delete.connect(_after_delete, dispatch_uid="publishing.page_deleted")
