"""Copy Wagtail's own log (PageLogEntry, ModelLogEntry) into the chained audit trail.

Wagtail logs every admin action it performs itself: page create/edit/publish/unpublish/move/
delete, revisions, locks, workflow steps, snippet and user edits, group permission changes.
Mirroring those entries means a change made in the admin outside the platform's services is
in the SM3 chain too. The mirrored action is `wagtail.<Wagtail action>`; its label is
registered on first use.

Where a platform service also writes its own record (e.g. `content.item.publish` beside
`wagtail.publish`), both stay: the service record states the business fact with its checks,
the mirrored one the technical step (revision id, Wagtail's log entry id).

core depends on no domain app, so the organisation a page answers to is found through a
resolver that accounts registers at startup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_save
from django.utils import translation

from . import audit
from .audit_actions import ACTIONS, register_action

_page_organisation_resolver: Callable[[Any], int | None] | None = None


def set_page_organisation_resolver(resolver: Callable[[Any], int | None] | None) -> None:
    """Tell the mirror how to find the organisation a page answers to (None: unknown)."""
    global _page_organisation_resolver
    _page_organisation_resolver = resolver


def mirrored_action(wagtail_action: str) -> str:
    """Return the audit action name for a Wagtail log action, registering it if new."""
    name = wagtail_action if wagtail_action.startswith("wagtail.") else f"wagtail.{wagtail_action}"
    if name not in ACTIONS:
        from wagtail.log_actions import registry

        with translation.override("zh-hans"):
            label = str(registry.get_action_label(wagtail_action))
        register_action(name, f"后台：{label}")  # the admin brands itself as the platform
    return name


def _page_of(entry: Any) -> Any:
    from wagtail.models import Page

    page = Page.objects.filter(pk=entry.page_id).first()
    return page.specific if page is not None else None


def _object_of(entry: Any) -> Any:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return None
    return model._default_manager.filter(pk=entry.object_id).first()


def _organisation_of(obj: Any, *, is_page: bool) -> int | None:
    if obj is None:
        return None
    if is_page:
        resolver = _page_organisation_resolver
        return resolver(obj) if resolver is not None else None
    for attribute in ("organisation_id", "owner_organisation_id", "host_organisation_id"):
        value = getattr(obj, attribute, None)
        if isinstance(value, int):
            return value
    return None


def mirror_log_entry(sender: Any, instance: Any, created: bool = False, raw: bool = False,
                     **kwargs: Any) -> None:
    """Write one chained audit record for a newly created Wagtail log entry."""
    from wagtail.models import PageLogEntry

    if raw or not created:
        return
    is_page = isinstance(instance, PageLogEntry)
    obj = _page_of(instance) if is_page else _object_of(instance)
    content_type = instance.content_type
    details: dict[str, Any] = {
        "log_entry": instance.pk,
        "log_model": "page" if is_page else "model",
        "content_type": (f"{content_type.app_label}.{content_type.model}"
                         if content_type is not None else ""),
        "object_id": str(instance.page_id if is_page else instance.object_id),
        "label": instance.label,
        "data": instance.data or {},
    }
    revision_id = getattr(instance, "revision_id", None)
    if revision_id:
        details["revision"] = revision_id
    actor = None
    if instance.user_id is not None:
        from django.contrib.auth import get_user_model

        actor = get_user_model()._default_manager.filter(pk=instance.user_id).first()
    audit.record(action=mirrored_action(instance.action), actor=actor, obj=obj,
                 organisation=_organisation_of(obj, is_page=is_page), details=details)


def connect() -> None:
    """Connect the mirror to both of Wagtail's log entry models (CoreConfig.ready)."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    post_save.connect(mirror_log_entry, sender=PageLogEntry, dispatch_uid="core.mirror_page_log")
    post_save.connect(mirror_log_entry, sender=ModelLogEntry,
                      dispatch_uid="core.mirror_model_log")
