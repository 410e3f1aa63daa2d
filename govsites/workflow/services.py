"""Writes of the review chain. Each is atomic and writes one audit record (`workflow.*`).

Wagtail owns the workflow machinery (WorkflowState, TaskState, publishing the revision when
the chain finishes); these services decide and record what our steps do inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Task, TaskState, Workflow, WorkflowPage, WorkflowTask
from wagtail.signals import task_submitted

from govsites.core import audit
from govsites.core.calendar import CalendarDataMissing, add_working_days
from govsites.screening.types import Category, Severity

from . import countersign, policies, routing, scanning, selectors
from .choices import AppliesFrom
from .defaults import DEFAULT_STEPS, DEFAULT_WORKFLOW_NAME
from .exceptions import ForcePublishRefused, ReviewRefused
from .models import (
    CountersignTask,
    ForcePublication,
    ProofreadTask,
    ReviewAssignment,
    ReviewPolicy,
    ReviewPolicyStep,
    ReviewTaskBase,
    ReviewTaskState,
    RoleReviewTask,
    ScreeningFinding,
    ScreeningRun,
    ScreeningTask,
)

TASK_MODELS: dict[str, type[ReviewTaskBase]] = {
    "screeningtask": ScreeningTask,
    "rolereviewtask": RoleReviewTask,
    "proofreadtask": ProofreadTask,
}


def _org_id(organisation: Any) -> int | None:
    return getattr(organisation, "pk", None)


def publishability_problem(item: Any) -> str:
    """Return why an item may not go live (content's own rule), or ""."""
    from govsites.content.models import ContentItem
    from govsites.content.services import check_publishable

    if not isinstance(item, ContentItem):
        return ""
    try:
        check_publishable(item)
    except ValidationError as error:
        return "；".join(str(m) for m in error.messages)
    return ""


def _due_on(days: int, *, start: dt.date | None = None) -> dt.date | None:
    try:
        return add_working_days(start or timezone.localdate(), days)
    except CalendarDataMissing:
        return None


# --- the default workflow ---------------------------------------------------------------------

def _create_default_workflow() -> Workflow:
    workflow = Workflow.objects.create(name=DEFAULT_WORKFLOW_NAME, active=True)
    for order, (model_name, name, fields) in enumerate(DEFAULT_STEPS):
        task = TASK_MODELS[model_name].objects.create(name=name, active=True, **fields)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def ensure_default_workflow(*, site_root: Page, acting_user: Any) -> Workflow:
    """Make a site's home page use a review workflow (the national default unless it has one).

    Idempotent: a site that already has one of our workflows keeps it. Call it for every site
    created after the migrations ran.
    """
    with transaction.atomic():
        current = WorkflowPage.objects.filter(page=site_root).select_related("workflow").first()
        if current is not None and current.workflow.active \
                and selectors.is_review_workflow(current.workflow):
            return current.workflow
        workflow = selectors.default_workflow() or _create_default_workflow()
        WorkflowPage.objects.update_or_create(page=site_root, defaults={"workflow": workflow})
        audit.record(action="workflow.workflow.assign", actor=acting_user, obj=site_root,
                     organisation=routing.owning_organisation(site_root.specific),
                     details={"workflow": workflow.pk, "workflow_name": workflow.name,
                              "replaced": current.workflow_id if current is not None else None})
    return workflow


def set_review_policy(*, site: Any, acting_user: Any, proofreading_enabled: bool,
                      applies_from: Mapping[int, str]) -> ReviewPolicy:
    """Set a site's review policy: 三校 on or off, and its own threshold for chosen steps.

    `applies_from` maps task ids to an AppliesFrom value and is the complete set of the site's
    overrides; a value equal to the step's national default is not stored.
    """
    tasks = {task.pk: task for task in Task.objects.filter(pk__in=list(applies_from)).specific()}
    for task_id, value in applies_from.items():
        task = tasks.get(task_id)
        if not isinstance(task, RoleReviewTask | ProofreadTask):
            raise ValidationError(_("只能设置审核和校对步骤的适用范围。"))
        if value not in AppliesFrom.values:
            raise ValidationError(_("未知的适用范围：%(value)s") % {"value": value})
    with transaction.atomic():
        policy, _created = ReviewPolicy.objects.get_or_create(site=site)
        before = {"proofreading_enabled": policy.proofreading_enabled,
                  "steps": {s.task_id: s.applies_from for s in policy.steps.all()}}
        policy.proofreading_enabled = proofreading_enabled
        policy.save()
        wanted = {task_id: value for task_id, value in applies_from.items()
                  if value != tasks[task_id].applies_from}
        policy.steps.exclude(task_id__in=list(wanted)).delete()
        for task_id, value in wanted.items():
            ReviewPolicyStep.objects.update_or_create(policy=policy, task_id=task_id,
                                                      defaults={"applies_from": value})
        audit.record(action="workflow.policy.update", actor=acting_user, obj=policy,
                     organisation=site.host_organisation,
                     details={"before": before,
                              "after": {"proofreading_enabled": proofreading_enabled,
                                        "steps": wanted}})
    return policy


# --- steps ----------------------------------------------------------------------------------

def _screen(item: Any, revision: Any, state: ReviewTaskState | None) -> ScreeningRun:
    """Screen an item and store the findings, carrying over overrides given in this review."""
    findings, attachments = scanning.scan_item(item)
    run = ScreeningRun.objects.create(revision=revision, task_state=state,
                                      attachments_scanned=attachments)
    earlier: dict[tuple[str, str, str], ScreeningFinding] = {}
    if state is not None:
        for old in (ScreeningFinding.objects
                    .filter(run__task_state__workflow_state_id=state.workflow_state_id,
                            overridden_at__isnull=False, override_carried_from__isnull=True)
                    .order_by("pk")):
            earlier[(old.rule_id, old.location, old.evidence)] = old
    rows = []
    for finding in findings:
        location, evidence = finding.location[:300], finding.evidence[:500]
        carried = earlier.get((finding.rule_id, location, evidence))
        rows.append(ScreeningFinding(
            run=run, revision=revision, rule_id=finding.rule_id, category=str(finding.category),
            severity=str(finding.severity), location=location, offset=finding.offset,
            evidence=evidence, context=finding.context[:500],
            overridden_by_id=carried.overridden_by_id if carried else None,
            override_reason=carried.override_reason if carried else "",
            overridden_at=carried.overridden_at if carried else None,
            override_carried_from=carried,
        ))
    ScreeningFinding.objects.bulk_create(rows)
    return run


def start_review_step(*, task: ReviewTaskBase, workflow_state: Any,
                      acting_user: Any) -> ReviewTaskState:
    """Start one of our steps on an item: skip it, screen the item, or wait for reviewers.

    Called by Wagtail (Task.start) when the chain reaches the step. A skipped or clean step
    finishes at once and Wagtail moves on to the next one.
    """
    item = routing.item_under_review(workflow_state)
    revision = workflow_state.content_object.get_latest_revision()
    organisation = routing.reviewer_organisation(task, item)
    state = ReviewTaskState(workflow_state=workflow_state, revision=revision, task=task,
                            status=TaskState.STATUS_IN_PROGRESS, role=task.role,
                            organisation=organisation)
    page = workflow_state.content_object
    owner = routing.owning_organisation(item)
    reason = routing.skip_reason(task, item, workflow_state=workflow_state)
    if reason:
        state.status = TaskState.STATUS_SKIPPED
        state.finished_at = timezone.now()
        state.comment = reason
        state.save()
        audit.record(action="workflow.task.skip", actor=acting_user, obj=page,
                     organisation=owner,
                     details={"step": task.name, "task": task.pk, "reason": reason,
                              "importance": getattr(item, "importance", "")})
        return state
    state.due_on = _due_on(routing.step_deadline_working_days(task, item))
    state.save()
    details: dict[str, Any] = {"step": task.name, "task": task.pk, "role": task.role,
                               "reviewer_organisation": _org_id(organisation),
                               "due_on": state.due_on.isoformat() if state.due_on else None}
    if isinstance(task, CountersignTask):
        signing = routing.countersign_organisations(task, item)
        countersign.open_signatures(state, signing)
        details["countersign_organisations"] = [o.pk for o in signing]
    if not isinstance(task, ScreeningTask):
        audit.record(action="workflow.task.start", actor=acting_user, obj=page,
                     organisation=owner, details=details)
        task_submitted.send(sender=ReviewTaskState, instance=state, user=acting_user)
        return state
    run = _screen(item, revision, state)
    findings = list(run.findings.all())
    still_open = [f for f in findings if f.is_open]
    details.update(run=run.pk, findings=len(findings), open=len(still_open),
                   carried_over=len(findings) - len(still_open),
                   attachments=run.attachments_scanned, passed=not still_open,
                   rules=sorted({f.rule_id for f in findings}))
    audit.record(action="workflow.screening.run", actor=acting_user, obj=page,
                 organisation=owner, details=details)
    if still_open:  # held: say why on the step itself (workflow history, 我的待办)
        state.comment = _("内容检查发现%(n)s处问题（%(rules)s），须审核人逐条说明理由后方可通过。") % {
            "n": len(still_open), "rules": "、".join(sorted({f.rule_id for f in still_open}))}
        state.save(update_fields=["comment"])
    task_submitted.send(sender=ReviewTaskState, instance=state, user=acting_user)
    if not still_open:
        if not findings:
            comment = _("内容检查未发现问题，自动通过。")
        elif all(f.severity == Severity.INFO.value for f in findings):
            comment = _("内容检查仅有%(n)s条提示，自动通过。") % {"n": len(findings)}
        else:
            comment = _("发现的问题此前已逐条说明理由，自动通过。")
        state.approve(user=None, update=False, comment=comment)
    return state


def _locked(task_state: ReviewTaskState) -> ReviewTaskState:
    """Re-read a step under a row lock so two reviewers cannot both finish it."""
    fresh = ReviewTaskState.objects.select_for_update().get(pk=task_state.pk)
    if fresh.status != TaskState.STATUS_IN_PROGRESS:
        raise ReviewRefused(_("该审核步骤已经结束。"))
    return fresh


def _commercial_links_may_be_kept(task_state: ReviewTaskState) -> bool:
    """Whether a reviewer may keep a link to a commercial website with a reason (CC-29: the
    national texts ask for a reason; 丹东 第28条 forbids such links outright)."""
    from govsites import rules

    item = task_state.workflow_state.content_object
    site = routing.site_of(item) if item is not None else None
    return bool(rules.value("link.commercial.override_allowed", site=site))


def override_findings(*, task_state: ReviewTaskState, reasons: Mapping[int, str],
                      acting_user: Any) -> list[ScreeningFinding]:
    """Override screening findings, each with a written reason that is kept on the finding."""
    refusal = policies.refusal_to_review(acting_user, task_state)
    if refusal:
        raise ReviewRefused(refusal)
    if not isinstance(task_state.task.specific, ScreeningTask):
        raise ReviewRefused(_("只有内容检查步骤可以忽略检查发现的问题。"))
    open_by_id = {f.pk: f for f in selectors.open_findings(task_state)}
    for finding_id, reason in reasons.items():
        if finding_id not in open_by_id:
            raise ReviewRefused(_("第%(id)s号问题不属于本次检查，或已处理。") % {"id": finding_id})
        if not str(reason or "").strip():
            raise ReviewRefused(_("忽略检查发现的问题必须逐条填写理由。"))
        if open_by_id[finding_id].category == Category.COMMERCIAL_LINK \
                and not _commercial_links_may_be_kept(task_state):
            raise ReviewRefused(_(
                "第%(id)s号问题是链接商业网站：本地规定政府网站不得链接商业网站，"
                "不能说明理由后保留，请删除该链接后重新提交。") % {"id": finding_id})
    if not reasons:
        return []
    with transaction.atomic():
        _locked(task_state)
        now = timezone.now()
        overridden = []
        for finding_id, reason in reasons.items():
            finding = open_by_id[finding_id]
            finding.overridden_by = acting_user
            finding.override_reason = str(reason).strip()
            finding.overridden_at = now
            finding.save(update_fields=["overridden_by", "override_reason", "overridden_at"])
            overridden.append(finding)
        audit.record(
            action="workflow.screening.override", actor=acting_user,
            obj=task_state.workflow_state.content_object,
            organisation=task_state.organisation,
            details={"task_state": task_state.pk, "findings": [
                {"id": f.pk, "rule_id": f.rule_id, "location": f.location,
                 "evidence": f.evidence, "reason": f.override_reason} for f in overridden]})
    return overridden


def approve_task(*, task_state: ReviewTaskState, acting_user: Any, comment: str = "",
                 secrecy_confirmed: bool = False) -> ReviewTaskState:
    """Approve one step. Refused to the submitter at every step, to non-reviewers, while
    screening findings are open, at a 保密审查 step without the reviewer's confirmation (RS-09),
    and at the last step when the item may not be published."""
    refusal = policies.refusal_to_review(acting_user, task_state)
    if refusal:
        raise ReviewRefused(refusal)
    with transaction.atomic():
        state = _locked(task_state)
        task = state.task.specific
        if getattr(task, "secrecy_review", False):
            if not secrecy_confirmed:
                raise ReviewRefused(_("本步骤须进行保密审查，请确认后再通过。"))
            state.secrecy_confirmed_by = acting_user
            state.secrecy_confirmed_at = timezone.now()
            state.save(update_fields=["secrecy_confirmed_by", "secrecy_confirmed_at"])
        if isinstance(task, CountersignTask) and _countersign(state, acting_user, comment,
                                                              approved=True):
            return state  # other organisations still have to countersign
        if isinstance(task, ScreeningTask):
            remaining = selectors.open_findings(state)
            if remaining:
                raise ReviewRefused(
                    _("还有%(n)s处检查发现的问题未说明理由，不能通过。") % {"n": len(remaining)})
        final = routing.is_final_step(state)
        if final:
            problem = publishability_problem(routing.item_under_review(state.workflow_state))
            if problem:
                raise ReviewRefused(_("这是最后一步审核，通过后将发布，但该信息不能发布：%(why)s")
                                    % {"why": problem})
        audit.record(action="workflow.task.approve", actor=acting_user,
                     obj=state.workflow_state.content_object, organisation=state.organisation,
                     details={"step": task.name, "task_state": state.pk, "role": state.role,
                              "final": final, "comment": comment,
                              "secrecy_confirmed": state.secrecy_confirmed_at is not None,
                              "countersign": countersign.summary(state)
                              if isinstance(task, CountersignTask) else None})
        state.approve(user=acting_user, comment=comment)
    return state


def _countersign(state: ReviewTaskState, acting_user: Any, comment: str, *,
                 approved: bool) -> bool:
    """Record the acting user's organisation's 会签; say whether others are still due.

    When others are due, the signature is audited on its own (`workflow.countersign.approve`);
    the last one goes on as the step's approval.
    """
    signature = countersign.pending_signature_for(acting_user, state)
    if signature is None:
        raise ReviewRefused(_("您所在的单位不在本步骤的待会签单位中。"))
    countersign.decide(signature, user=acting_user, approved=approved, comment=comment)
    remaining = list(countersign.pending(state).select_related("organisation"))
    if not remaining:
        return False
    audit.record(action="workflow.countersign.approve", actor=acting_user,
                 obj=state.workflow_state.content_object, organisation=signature.organisation,
                 details={"step": state.task.name, "task_state": state.pk,
                          "organisation": signature.organisation_id, "comment": comment,
                          "remaining": [s.organisation.name for s in remaining]})
    return True


def reject_task(*, task_state: ReviewTaskState, acting_user: Any, comment: str) -> ReviewTaskState:
    """Send an item back to its submitter for changes, with the reviewer's written opinion."""
    if not comment.strip():
        raise ReviewRefused(_("退回修改必须填写意见。"))
    refusal = policies.refusal_to_review(acting_user, task_state)
    if refusal:
        raise ReviewRefused(refusal)
    with transaction.atomic():
        state = _locked(task_state)
        signed_for = None
        if isinstance(state.task.specific, CountersignTask):
            signature = countersign.pending_signature_for(acting_user, state)
            if signature is not None:
                countersign.decide(signature, user=acting_user, approved=False,
                                   comment=comment.strip())
                signed_for = signature.organisation_id
        audit.record(action="workflow.task.reject", actor=acting_user,
                     obj=state.workflow_state.content_object, organisation=state.organisation,
                     details={"step": state.task.name, "task_state": state.pk,
                              "comment": comment.strip(), "countersign_organisation": signed_for})
        state.reject(user=acting_user, comment=comment.strip())
    return state


@dataclass
class ReassignmentResult:
    """What handing over a person's pending steps did (task state ids)."""

    reassigned: list[int] = field(default_factory=list)
    already_reviewer: list[int] = field(default_factory=list)
    skipped_own_submission: list[int] = field(default_factory=list)


def hand_over_pending_tasks(*, from_user: Any, to_user: Any, acting_user: Any,
                            reason: str = "") -> ReassignmentResult:
    """Make `to_user` a named reviewer of every step pending for `from_user`; no audit record.

    For callers that record the hand-over themselves (the departure service lists the task
    states in its own record). Everyone else calls `reassign_pending_tasks`.
    """
    if to_user is None or to_user.pk == from_user.pk:
        raise ReviewRefused(_("请指定另一位接手审核的人员。"))
    if not to_user.is_active:
        raise ReviewRefused(_("接手审核的人员账号不可用。"))
    states = list(ReviewTaskState.objects
                  .filter(pk__in=selectors.reviewable_task_state_ids(from_user,
                                                                     include_inactive=True))
                  .select_related("workflow_state").order_by("pk"))
    result = ReassignmentResult()
    with transaction.atomic():
        for state in states:
            if state.workflow_state.requested_by_id == to_user.pk:
                result.skipped_own_submission.append(state.pk)
                continue
            if policies.is_reviewer(to_user, state):
                result.already_reviewer.append(state.pk)
                continue
            ReviewAssignment.objects.create(task_state=state, user=to_user,
                                            assigned_by=acting_user,
                                            reason=reason[:200] or _("转交待审任务"))
            result.reassigned.append(state.pk)
        ReviewAssignment.objects.filter(user=from_user,
                                        task_state__in=[s.pk for s in states]).delete()
    return result


def reassign_pending_tasks(*, from_user: Any, to_user: Any, acting_user: Any,
                           reason: str = "") -> ReassignmentResult:
    """Hand every step pending for `from_user` to `to_user` (e.g. when a reviewer leaves).

    `to_user` becomes a named reviewer of each step, except on items `to_user` submitted
    (nobody approves their own submission); those are listed so someone else can be named.
    Works for a user whose account was just disabled.
    """
    with transaction.atomic():
        result = hand_over_pending_tasks(from_user=from_user, to_user=to_user,
                                         acting_user=acting_user, reason=reason)
        audit.record(action="workflow.task.reassign", actor=acting_user, obj=to_user,
                     organisation=getattr(to_user, "organisation_id", None),
                     details={"from_user": from_user.pk, "to_user": to_user.pk,
                              "reason": reason, "reassigned": result.reassigned,
                              "already_reviewer": result.already_reviewer,
                              "skipped_own_submission": result.skipped_own_submission})
    return result


# --- force publication ------------------------------------------------------------------------

def force_publish(*, item: Any, reason: str, acting_user: Any) -> ForcePublication:
    """强制发布: publish an item's latest revision without the review chain.

    Needs its own permission and a written reason; cancels a review in progress; screens the
    revision for the record (without stopping it); the record stays on the report until
    someone else approves it retrospectively.
    """
    item = item.specific if isinstance(item, Page) else item
    refusal = policies.refusal_to_force_publish(acting_user, item)
    if refusal:
        raise ForcePublishRefused(refusal)
    if not reason.strip():
        raise ForcePublishRefused(_("强制发布必须填写理由。"))
    if getattr(item, "alias_of_id", None):
        raise ForcePublishRefused(_("转载的信息随原文发布，请在原文上操作。"))
    with transaction.atomic():
        revision = item.get_latest_revision() or item.save_revision(user=acting_user)
        candidate = revision.as_object()
        problem = publishability_problem(candidate)
        if problem:
            raise ForcePublishRefused(problem)
        workflow_state = item.current_workflow_state
        submitted_by = workflow_state.requested_by if workflow_state is not None else revision.user
        if workflow_state is not None:
            workflow_state._govsites_force_publish = True
            workflow_state.cancel(user=acting_user)
        run = _screen(candidate, revision, None)
        revision.publish(user=acting_user, skip_permission_checks=True)
        record = ForcePublication.objects.create(
            item=item, revision=revision, organisation=routing.owning_organisation(candidate),
            reason=reason.strip(), forced_by=acting_user, submitted_by=submitted_by,
            cancelled_workflow_state=workflow_state,
            open_findings=run.findings.exclude(severity=Severity.INFO.value).count())
        audit.record(action="workflow.item.force_publish", actor=acting_user, obj=item,
                     organisation=record.organisation,
                     details={"reason": record.reason, "revision": revision.pk,
                              "record": record.pk,
                              "cancelled_workflow_state": getattr(workflow_state, "pk", None),
                              "findings": record.open_findings})
    return record


def approve_retrospectively(*, record: ForcePublication, acting_user: Any,
                            comment: str = "") -> ForcePublication:
    """事后审批: approve a force publication afterwards (not by who forced or submitted it)."""
    refusal = policies.refusal_to_approve_retrospectively(acting_user, record)
    if refusal:
        raise ForcePublishRefused(refusal)
    with transaction.atomic():
        fresh = ForcePublication.objects.select_for_update().get(pk=record.pk)
        if not fresh.awaiting_approval:
            raise ForcePublishRefused(_("这次强制发布已经事后审批。"))
        fresh.retrospective_approved_by = acting_user
        fresh.retrospective_approved_at = timezone.now()
        fresh.retrospective_comment = comment.strip()
        fresh.save(update_fields=["retrospective_approved_by", "retrospective_approved_at",
                                  "retrospective_comment"])
        audit.record(action="workflow.force_publication.approve", actor=acting_user,
                     obj=fresh.item, organisation=fresh.organisation,
                     details={"record": fresh.pk, "comment": fresh.retrospective_comment,
                              "forced_by": fresh.forced_by_id})
    return fresh
