"""Signal receivers: audit Wagtail's workflow transitions of our workflows; hand over a
departing reviewer's pending steps."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_cancelled

from govsites.accounts.signals import user_departed
from govsites.core import audit


def _record(action: str, instance: Any, user: Any, **details: Any) -> None:
    from .routing import item_under_review, owning_organisation
    from .selectors import is_review_workflow

    if not is_review_workflow(instance.workflow):
        return
    page = instance.content_object
    if page is None:
        return
    audit.record(action=action, actor=user, obj=page,
                 organisation=owning_organisation(item_under_review(instance)),
                 details={"workflow_state": instance.pk, "workflow": instance.workflow.name,
                          **details})


def _remember_status(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    instance._govsites_old_status = (WorkflowState.objects.filter(pk=instance.pk)
                                     .values_list("status", flat=True).first())


def _submitted(sender: Any, instance: Any, created: bool = False, raw: bool = False,
               **kwargs: Any) -> None:
    """Record a submission before its first step starts, and a resubmission after changes."""
    if raw:
        return
    if created:
        _record("workflow.item.submit", instance, instance.requested_by)
        return
    old = getattr(instance, "_govsites_old_status", None)
    instance._govsites_old_status = instance.status
    if old == WorkflowState.STATUS_NEEDS_CHANGES \
            and instance.status == WorkflowState.STATUS_IN_PROGRESS:
        _record("workflow.item.resubmit", instance, instance.requested_by)


def _cancelled(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    if getattr(instance, "_govsites_force_publish", False):
        return  # the force publication record says why the review stopped
    _record("workflow.item.cancel", instance, user)


def _approved(sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    revision = instance.content_object.get_latest_revision() if instance.content_object else None
    _record("workflow.item.approve", instance, user,
            revision=revision.pk if revision is not None else None)


def _user_departed(sender: Any, user: Any, successor: Any, acting_user: Any,
                   reason: str = "", **kwargs: Any) -> None:
    from .services import hand_over_pending_tasks

    hand_over_pending_tasks(from_user=user, to_user=successor, acting_user=acting_user,
                            reason=reason)


def _site_registered(sender: Any, instance: Any, created: bool = False, raw: bool = False,
                     **kwargs: Any) -> None:
    """Give every newly registered site the review chain (先审后发), however it was created.

    Without this a site added in the admin would fall back to Wagtail's default workflow, which
    has no submitter-cannot-approve rule. Tests turn it off to build sites without a chain.
    """
    from django.conf import settings
    from django.db import transaction

    from .services import ensure_default_workflow

    if raw or not created:
        return
    if not getattr(settings, "GOVSITES_ASSIGN_REVIEW_WORKFLOW_ON_SITE_CREATE", True):
        return
    root = instance.site.root_page
    transaction.on_commit(lambda: ensure_default_workflow(site_root=root, acting_user=None))


def connect() -> None:
    """Connect the receivers (called from WorkflowConfig.ready)."""
    from govsites.sites.models import SiteProfile

    post_save.connect(_site_registered, sender=SiteProfile,
                      dispatch_uid="govsites_workflow.site_registered")
    pre_save.connect(_remember_status, sender=WorkflowState,
                     dispatch_uid="govsites_workflow.remember_status")
    post_save.connect(_submitted, sender=WorkflowState, dispatch_uid="govsites_workflow.submitted")
    workflow_cancelled.connect(_cancelled, dispatch_uid="govsites_workflow.cancelled")
    workflow_approved.connect(_approved, dispatch_uid="govsites_workflow.approved")
    user_departed.connect(_user_departed, dispatch_uid="govsites_workflow.user_departed")
