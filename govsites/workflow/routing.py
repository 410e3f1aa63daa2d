"""Routing: which steps of a workflow an item goes through, and who reviews each one.

三级审核 escalates by importance: a step applies from an importance upwards (the step's
national default, or the site's own setting in ReviewPolicy). Proofreading steps apply only
where the site has 三校 on. A government-scoped step whose reviewers would be the very same
role in the very same organisation as a step already approved is skipped as a repetition
(an item owned by a 人民政府 itself needs its 分管领导 once, not twice). Whether 三校 is on
where a site has no policy of its own comes from the rule set (`review.proofreading_enabled`).

Everything here reads; nothing writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.models import Page, Task, TaskState

from govsites.accounts.roles import Role
from govsites.content.choices import Importance

from .choices import UPPER_SCOPES, AppliesFrom, ReviewerScope, importance_reaches
from .models import (
    CountersignTask,
    ProofreadTask,
    ReviewPolicy,
    ReviewTaskBase,
    ReviewTaskState,
    RoleReviewTask,
    ScreeningTask,
)


def item_under_review(workflow_state: Any) -> Any:
    """Return the object as its latest revision says (what the chain would publish)."""
    obj = workflow_state.content_object
    if isinstance(obj, Page):
        obj = obj.specific
    revision = obj.get_latest_revision()
    return revision.as_object() if revision is not None else obj


def owning_organisation(item: Any) -> Any:
    """Return the organisation an item answers to: its own, its column's, or its site's host."""
    owner = getattr(item, "owner_organisation", None)
    if owner is not None:
        return owner
    effective_owner = getattr(item, "effective_owner", None)
    if callable(effective_owner):
        owner = effective_owner()
        if owner is not None:
            return owner
    parent = item.get_parent() if isinstance(item, Page) and item.path else None
    if parent is not None:
        effective_owner = getattr(parent.specific, "effective_owner", None)
        if callable(effective_owner):
            owner = effective_owner()
            if owner is not None:
                return owner
    from govsites.sites.selectors import profile_for_page

    profile = profile_for_page(item) if isinstance(item, Page) else None
    return profile.host_organisation if profile is not None else None


#: How a 人民政府's own office is named (办公室 in cities and counties, 办公厅 in provinces).
GOVERNMENT_OFFICE_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅")


def government_office(government: Any) -> Any:
    """Return a 人民政府's office (its child body named …政府办公室), else the government."""
    for child in government.children.order_by("pk"):
        if str(child.name).endswith(GOVERNMENT_OFFICE_SUFFIXES):
            return child
    return government


def reviewer_organisation(task: ReviewTaskBase, item: Any) -> Any:
    """Return the organisation whose role holders review this step for this item.

    None for a 会签 step: its reviewers are found per signature (countersign.py).
    """
    if isinstance(task, CountersignTask):
        return None
    owner = owning_organisation(item)
    if owner is not None and task.scope == ReviewerScope.GOVERNMENT:
        return owner.government()
    if owner is not None and task.scope == ReviewerScope.GOVERNMENT_OFFICE:
        return government_office(owner.government())
    return owner


def countersign_organisations(task: CountersignTask, item: Any) -> list[Any]:
    """Return the organisations that must countersign an item (the owner is not asked again)."""
    owner = owning_organisation(item)
    return [organisation for organisation in task.organisations.order_by("name", "pk")
            if owner is None or organisation.pk != owner.pk]


def site_of(item: Any) -> Any:
    from govsites.sites.selectors import profile_for_page

    return profile_for_page(item) if isinstance(item, Page) and item.path else None


def government_office_kind(item: Any) -> str:
    """Return which kind of `review.government_office_approval.kinds` an item is, or "".

    RS-07 (梅州 第25条, 南通 第16条): leaders' résumés, duties and photos and government
    documents (南通: also meetings) pass the government office's 分管领导. A kind matches the
    item's type (文章 / 政策文件 …), its column's title or its column's type when one of
    them contains it (“政府文件” matches a column titled “市政府文件”).
    """
    from govsites import rules

    kinds = [str(kind) for kind in rules.value("review.government_office_approval.kinds",
                                                site=site_of(item)) if str(kind).strip()]
    if not kinds:
        return ""
    names = []
    label = getattr(item, "item_type_label", None)
    if callable(label):
        names.append(str(label()))
    parent = item.get_parent() if isinstance(item, Page) and item.path else None
    if parent is not None:
        column = parent.specific
        names += [str(column.title), str(getattr(column, "column_type", "") or "")]
    for kind in kinds:
        if any(kind in name for name in names):
            return kind
    return ""


def site_policy(item: Any) -> ReviewPolicy | None:
    """Return the review policy of the site holding the item (None: national defaults)."""
    from govsites.sites.selectors import profile_for_page

    if not isinstance(item, Page):
        return None
    profile = profile_for_page(item)
    if profile is None:
        return None
    return ReviewPolicy.objects.filter(site=profile).prefetch_related("steps").first()


def proofreading_enabled(item: Any, policy: ReviewPolicy | None) -> bool:
    """Say whether 三校 applies on the item's site: the site's review policy if it has one,
    else the rule set's `review.proofreading_enabled` (off nationally; on under 梁平, 梅州)."""
    if policy is not None:
        return bool(policy.proofreading_enabled)
    from govsites import rules
    from govsites.sites.selectors import profile_for_page

    profile = profile_for_page(item) if isinstance(item, Page) and item.path else None
    return bool(rules.value("review.proofreading_enabled", site=profile))


def step_deadline_working_days(task: ReviewTaskBase, item: Any) -> int:
    """Return a step's deadline in working days on the item's site.

    The rule set's `review.deadline_working_days_by_step` names the default steps (and a
    variant may change them); a step it does not name (one an administrator added to a
    workflow) keeps the number on its own definition.
    """
    from govsites import rules

    by_step = rules.value("review.deadline_working_days_by_step", site=site_of(item))
    return int(by_step.get(task.name, task.deadline_working_days))


def effective_applies_from(task: ReviewTaskBase, policy: ReviewPolicy | None,
                           item: Any = None, *, site: Any = None) -> str:
    """Return from which importance a step applies on a site.

    The site's own review policy wins; else the rule set's chain for the site (RS-03/04:
    `review.unit_head.applies_from` for the unit's 主要领导, `review.chain.applies_from` by
    step name), which a city's variant sets; else the step's own definition.
    """
    if policy is not None:
        for step in policy.steps.all():
            if step.task_id == task.pk:
                return str(step.applies_from)
    from govsites import rules

    site = site_of(item) if item is not None else site
    if isinstance(task, RoleReviewTask) and task.role == Role.HEAD \
            and task.scope == ReviewerScope.ORGANISATION:
        value = rules.value("review.unit_head.applies_from", site=site)
    else:
        value = rules.value("review.chain.applies_from", site=site).get(task.name, "")
    return str(value) if value in AppliesFrom.values else str(task.applies_from)


def _importance_of(item: Any) -> str:
    return str(getattr(item, "importance", "") or Importance.NORMAL)


def _repeats_approved_step(task: ReviewTaskBase, organisation: Any, workflow_state: Any,
                           also_approved: ReviewTaskState | None) -> str:
    """Return the name of an approved step with the same reviewers, or ""."""
    if task.scope not in UPPER_SCOPES or organisation is None or workflow_state is None:
        return ""
    approved = list(
        ReviewTaskState.objects.filter(
            pk__in=workflow_state.successful_task_states.values("pk"),
            status=TaskState.STATUS_APPROVED, role=task.role, organisation=organisation,
            task__in=RoleReviewTask.objects.values("pk"),
        ).select_related("task"))
    if also_approved is not None and also_approved.role == task.role \
            and also_approved.organisation_id == organisation.pk \
            and isinstance(also_approved.task.specific, RoleReviewTask):
        approved.append(also_approved)
    return approved[0].task.name if approved else ""


def skip_reason(task: ReviewTaskBase, item: Any, *, workflow_state: Any = None,
                policy: ReviewPolicy | None = None, policy_known: bool = False,
                also_approved: ReviewTaskState | None = None) -> str:
    """Return why a step does not apply to an item, or "" when it applies.

    `also_approved` counts a step being approved right now (to tell whether it is the last).
    """
    if isinstance(task, ScreeningTask):
        return ""  # screening applies to everything, on every site
    if not policy_known:
        policy = site_policy(item)
    if isinstance(task, ProofreadTask) and not proofreading_enabled(item, policy):
        return _("本网站未启用三校。")
    applies_from = effective_applies_from(task, policy, item)
    if applies_from == AppliesFrom.NEVER:
        return _("本网站未启用此审核步骤。")
    importance = _importance_of(item)
    if not importance_reaches(importance, applies_from):
        return _("“%(importance)s”信息无需此步骤（此步骤适用于%(applies)s）。") % {
            "importance": Importance(importance).label, "applies": AppliesFrom(applies_from).label}
    if task.scope == ReviewerScope.GOVERNMENT_OFFICE and not government_office_kind(item):
        return _("该信息不属于须经政府办公室分管领导审核的类别。")
    if isinstance(task, CountersignTask) and not countersign_organisations(task, item):
        return _("没有需要会签的单位。")
    if isinstance(task, RoleReviewTask):
        organisation = reviewer_organisation(task, item)
        repeated = _repeats_approved_step(task, organisation, workflow_state, also_approved)
        if repeated:
            return _("审核人与已通过的“%(step)s”相同，无需重复审核。") % {"step": repeated}
    return ""


@dataclass(frozen=True)
class PlannedStep:
    """One step of a workflow as it would apply to an item."""

    task: Task
    applies: bool
    reason: str
    organisation: Any


def planned_chain(item: Any, workflow: Any) -> list[PlannedStep]:
    """Return every active step of a workflow with whether it applies to the item (in order).

    Repetitions are judged as if every earlier applying step had been approved.
    """
    policy = site_policy(item)
    steps: list[PlannedStep] = []
    approved_pairs: set[tuple[str, int]] = set()
    for task in workflow.tasks.filter(active=True).specific():
        if not isinstance(task, ReviewTaskBase):
            steps.append(PlannedStep(task=task, applies=True, reason="", organisation=None))
            continue
        organisation = reviewer_organisation(task, item)
        reason = skip_reason(task, item, policy=policy, policy_known=True)
        if not reason and isinstance(task, RoleReviewTask) and organisation is not None \
                and task.scope in UPPER_SCOPES \
                and (task.role, organisation.pk) in approved_pairs:
            reason = _("审核人与前面的步骤相同，无需重复审核。")
        if not reason and isinstance(task, RoleReviewTask) and organisation is not None:
            approved_pairs.add((task.role, organisation.pk))
        steps.append(PlannedStep(task=task, applies=not reason, reason=reason,
                                 organisation=organisation))
    return steps


def is_final_step(task_state: ReviewTaskState) -> bool:
    """Say whether approving this step would finish the chain (and so publish the item)."""
    workflow_state = task_state.workflow_state
    latest = workflow_state.content_object.get_latest_revision()
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False) \
            and latest is not None and latest.pk != task_state.revision_id:
        return False  # the item changed under review: earlier steps must approve it again
    if task_state.signatures.filter(decision="pending").count() > 1:
        return False  # other organisations still have to countersign this step
    item = item_under_review(workflow_state)
    policy = site_policy(item)
    successful = set(workflow_state.successful_task_states.values_list("task_id", flat=True))
    remaining = (Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
                 .exclude(pk__in=successful).exclude(pk=task_state.task_id)
                 .order_by("workflow_tasks__sort_order").specific())
    for task in remaining:
        if not isinstance(task, ReviewTaskBase):
            return False
        if not skip_reason(task, item, workflow_state=workflow_state, policy=policy,
                           policy_known=True, also_approved=task_state):
            return False
    return True
