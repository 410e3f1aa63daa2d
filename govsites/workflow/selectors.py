"""Reads of the review chain: 我的待办, an item's findings, force publications awaiting approval.

Who reviews what: a step's reviewers are the holders of its role in its organisation (fixed on
the step's state when it starts) plus anyone the step was handed to. Listing a user's pending
steps in one query relies on the accounts contract that a role's scope is the holder's own
organisation (`users_with_role(role, organisation)` = holders whose `user.organisation` is
that organisation); `policies.is_reviewer` checks one step through `users_with_role` itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, TaskState, Workflow, WorkflowState

from govsites.accounts.roles import Role
from govsites.accounts.selectors import has_role, users_with_role
from govsites.screening.types import Severity

from .defaults import DEFAULT_WORKFLOW_NAME
from .models import (
    ForcePublication,
    ReviewAssignment,
    ReviewTaskBase,
    ReviewTaskState,
    ScreeningFinding,
    ScreeningRun,
    ScreeningTask,
)

#: How long finished submissions stay on the submitter's list.
SUBMITTED_HISTORY_DAYS = 30


def review_task_ids() -> set[int]:
    """Return the ids of every task of our types (screening, role review, proofreading)."""
    ids: set[int] = set()
    for model in ReviewTaskBase.__subclasses__():
        ids.update(model.objects.values_list("pk", flat=True))
    return ids


def is_review_workflow(workflow: Workflow | None) -> bool:
    """Say whether a workflow is one of ours (it has at least one of our task types)."""
    if workflow is None:
        return False
    return workflow.workflow_tasks.filter(task_id__in=review_task_ids()).exists()


def default_workflow() -> Workflow | None:
    """Return the national default workflow (三审三校), if it exists and is active."""
    return Workflow.objects.filter(name=DEFAULT_WORKFLOW_NAME, active=True).order_by("pk").first()


def is_under_review_workflow(page: Page) -> bool:
    """Say whether a page falls under one of our review workflows (direct publishing is off)."""
    return is_review_workflow(page.get_workflow())


def reviewable_task_state_ids(user: Any, *, task: Any = None,
                              include_inactive: bool = False) -> QuerySet[Any]:
    """Return the ids of in-progress steps the user reviews (never the user's own submissions)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ReviewTaskState.objects.none().values("pk")
    if not user.is_active and not include_inactive:
        return ReviewTaskState.objects.none().values("pk")
    condition = Q(assignments__user=user)
    roles = [role.value for role in Role if has_role(user, role)]
    if roles and user.organisation_id is not None:
        condition |= Q(role__in=roles, organisation_id=user.organisation_id)
        condition |= Q(role__in=roles, signatures__organisation_id=user.organisation_id,
                       signatures__decision="pending")  # 会签 due from the user's organisation
    states = (ReviewTaskState.objects
              .filter(status=TaskState.STATUS_IN_PROGRESS,
                      workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
              .filter(condition)
              .exclude(workflow_state__requested_by=user))
    if task is not None:
        states = states.filter(task=task)
    return states.values("pk").distinct()


def reviewers_for(task_state: ReviewTaskState) -> list[Any]:
    """Return who may act on a step: role holders and named reviewers, never the submitter."""
    people: dict[int, Any] = {}
    if task_state.role and task_state.organisation_id is not None:
        for user in users_with_role(task_state.role, task_state.organisation):
            people[user.pk] = user
    from .countersign import signers

    for user in signers(task_state):
        people[user.pk] = user
    for assignment in ReviewAssignment.objects.filter(task_state=task_state,
                                                      user__is_active=True).select_related("user"):
        people[assignment.user.pk] = assignment.user
    people.pop(task_state.workflow_state.requested_by_id or 0, None)
    return sorted(people.values(), key=lambda u: (str(u), u.pk))


def latest_run(task_state: ReviewTaskState) -> ScreeningRun | None:
    """Return the latest screening of a step's revision."""
    return ScreeningRun.objects.filter(task_state=task_state).order_by("-created_at", "-pk").first()


def findings_of(task_state: ReviewTaskState) -> list[ScreeningFinding]:
    """Return the findings of a screening step's latest run (overridden ones included)."""
    run = latest_run(task_state)
    if run is None:
        return []
    return list(run.findings.select_related("overridden_by").order_by("pk"))


def open_findings(task_state: ReviewTaskState) -> list[ScreeningFinding]:
    """Return the findings of a screening step that nobody has overridden yet."""
    return [finding for finding in findings_of(task_state) if finding.is_open]


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class PendingReview:
    """One step waiting for the user."""

    task_state: ReviewTaskState
    item: Any
    step_name: str
    submitted_by: Any
    started_at: dt.datetime
    due_on: dt.date | None
    overdue: bool
    open_findings: int
    is_screening: bool
    reason: str = ""


def _pages_by_id(object_ids: list[str]) -> dict[int, Any]:
    """Return the specific pages for workflow states' object ids, in one query per page type."""
    ids = [int(object_id) for object_id in object_ids if str(object_id).isdigit()]
    return {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}


def _open_finding_counts(state_ids: list[int]) -> dict[int, int]:
    """Return, per screening step, how many findings of its latest run are still open."""
    latest: dict[int, int] = {}
    for state_id, run_id in (ScreeningRun.objects.filter(task_state_id__in=state_ids)
                             .order_by("created_at", "pk").values_list("task_state_id", "pk")):
        latest[state_id] = run_id
    counts = dict(ScreeningFinding.objects.filter(run_id__in=latest.values(),
                                                  overridden_at__isnull=True)
                  .exclude(severity=Severity.INFO.value)
                  .values("run_id").annotate(n=Count("pk")).values_list("run_id", "n"))
    return {state_id: counts.get(run_id, 0) for state_id, run_id in latest.items()}


def pending_reviews_for(user: Any) -> list[PendingReview]:
    """Return the steps waiting for the user, overdue first, then by deadline and age."""
    states = list(ReviewTaskState.objects
                  .filter(pk__in=reviewable_task_state_ids(user))
                  .select_related("task", "workflow_state", "workflow_state__requested_by"))
    pages = _pages_by_id([state.workflow_state.object_id for state in states])
    screening_ids = set(ScreeningTask.objects.values_list("pk", flat=True))
    open_counts = _open_finding_counts([s.pk for s in states if s.task_id in screening_ids])
    today = _today()
    pending = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        is_screening = state.task_id in screening_ids
        pending.append(PendingReview(
            task_state=state, item=page, step_name=state.task.name,
            submitted_by=state.workflow_state.requested_by,
            started_at=state.started_at, due_on=state.due_on,
            overdue=state.due_on is not None and state.due_on < today,
            open_findings=open_counts.get(state.pk, 0), is_screening=is_screening,
            reason=state.comment if is_screening else "",
        ))
    far = dt.date.max
    pending.sort(key=lambda p: (not p.overdue, p.due_on or far, p.started_at, p.task_state.pk))
    return pending


@dataclass(frozen=True)
class SubmittedItem:
    """One item the user submitted, and where it stands."""

    workflow_state: WorkflowState
    item: Any
    status: str
    status_label: str
    current_step: str
    reviewers: list[Any]
    due_on: dt.date | None
    overdue: bool
    comment: str


def _status_label(state: WorkflowState) -> str:
    from django.utils.translation import gettext as _

    return {
        WorkflowState.STATUS_IN_PROGRESS: _("审核中"),
        WorkflowState.STATUS_NEEDS_CHANGES: _("已退回修改"),
        WorkflowState.STATUS_APPROVED: _("已通过并发布"),
        WorkflowState.STATUS_CANCELLED: _("已撤回或中止"),
    }.get(state.status, state.status)


def submitted_items_for(user: Any, *, days: int = SUBMITTED_HISTORY_DAYS) -> list[SubmittedItem]:
    """Return the items the user submitted: active ones, then those finished in the last days."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    since = timezone.now() - dt.timedelta(days=days)
    states = (WorkflowState.objects.filter(requested_by=user)
              .filter(Q(status__in=[WorkflowState.STATUS_IN_PROGRESS,
                                    WorkflowState.STATUS_NEEDS_CHANGES])
                      | Q(created_at__gte=since))
              .select_related("workflow", "current_task_state", "current_task_state__task")
              .order_by("-created_at"))
    today = _today()
    items = []
    for state in states:
        page = state.content_object
        if page is None:
            continue
        current = state.current_task_state
        step = current.task.name if current is not None and state.is_active else ""
        review_state = (ReviewTaskState.objects.filter(pk=current.pk).first()
                        if current is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
                        else None)
        due_on = review_state.due_on if review_state is not None else None
        comment = current.comment if current is not None and \
            state.status == WorkflowState.STATUS_NEEDS_CHANGES else ""
        items.append(SubmittedItem(
            workflow_state=state, item=page.specific if isinstance(page, Page) else page,
            status=state.status, status_label=_status_label(state), current_step=step,
            reviewers=reviewers_for(review_state) if review_state is not None else [],
            due_on=due_on, overdue=due_on is not None and due_on < today, comment=comment,
        ))
    active = [i for i in items if i.workflow_state.is_active]
    finished = [i for i in items if not i.workflow_state.is_active]
    return active + finished


def steps_without_reviewers() -> list[ReviewTaskState]:
    """Return pending steps that nobody can act on (no holder of the role, nobody named)."""
    states = (ReviewTaskState.objects
              .filter(status=TaskState.STATUS_IN_PROGRESS,
                      workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
              .select_related("task", "organisation", "workflow_state"))
    return [state for state in states if not reviewers_for(state)]


def force_publications_awaiting_approval() -> QuerySet[ForcePublication]:
    """Return force publications nobody has approved retrospectively yet, oldest first."""
    return (ForcePublication.objects.filter(retrospective_approved_at__isnull=True)
            .select_related("item", "forced_by", "organisation", "submitted_by")
            .order_by("forced_at", "pk"))


def force_publications_approved(limit: int = 50) -> QuerySet[ForcePublication]:
    """Return the latest force publications that were approved retrospectively."""
    return (ForcePublication.objects.filter(retrospective_approved_at__isnull=False)
            .select_related("item", "forced_by", "retrospective_approved_by", "organisation")
            .order_by("-retrospective_approved_at")[:limit])


def findings_of_force_publication(record: ForcePublication) -> list[ScreeningFinding]:
    """Return what screening found on the revision that was force published."""
    run = (ScreeningRun.objects.filter(revision=record.revision, task_state__isnull=True)
           .order_by("-created_at", "-pk").first())
    return list(run.findings.order_by("pk")) if run is not None else []


def overdue_review_steps(today: dt.date | None = None) -> list[ReviewTaskState]:
    """Return pending steps past their deadline (due before today), oldest deadline first."""
    today = today or _today()
    return list(ReviewTaskState.objects
                .filter(status=TaskState.STATUS_IN_PROGRESS,
                        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
                        due_on__lt=today)
                .select_related("task", "organisation", "workflow_state")
                .order_by("due_on", "pk"))


@dataclass(frozen=True)
class Whereabouts:
    """Where an item stands after a review action: its status, current step and its holders."""

    status: str
    step_name: str
    reviewers: list[Any]
    due_on: dt.date | None
    submitted_by: Any


def whereabouts(workflow_state: WorkflowState) -> Whereabouts:
    """Return where an item under review went: published, returned, or at which step with whom."""
    workflow_state.refresh_from_db()
    current = workflow_state.current_task_state
    review_state = (ReviewTaskState.objects.filter(pk=current.pk).select_related("task").first()
                    if current is not None
                    and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS else None)
    return Whereabouts(
        status=workflow_state.status,
        step_name=review_state.task.name if review_state is not None else "",
        reviewers=reviewers_for(review_state) if review_state is not None else [],
        due_on=review_state.due_on if review_state is not None else None,
        submitted_by=workflow_state.requested_by)


def took_part_in(user: Any, workflow_state: WorkflowState) -> bool:
    """Say whether the user submitted the item or acted on one of its steps."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return workflow_state.requested_by_id == user.pk or \
        workflow_state.task_states.filter(finished_by=user).exists()
