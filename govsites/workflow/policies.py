"""Who may act in the review chain. Each refusal is one sentence the admin shows as it is.

The rule that matters most: the person who submitted an item never approves it, at any step
(whitehall's `submitted_by != actor`). Reviewers are the holders of the step's role in the
step's organisation (`accounts.selectors.users_with_role`) plus anyone a pending step was
handed to (ReviewAssignment). Superusers are not reviewers by virtue of being superusers:
they hold roles like everybody else, or use force publication, which is recorded.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from wagtail.models import TaskState

from govsites.accounts.selectors import users_with_role

from .models import ForcePublication, ReviewAssignment, ReviewTaskBase, ReviewTaskState

FORCE_PUBLISH_PERMISSION = "govsites_workflow.force_publish"
RETROSPECTIVE_APPROVAL_PERMISSION = "govsites_workflow.approve_force_publication"


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def is_submitter(user: Any, task_state: ReviewTaskState) -> bool:
    """Say whether the user submitted the item this step is reviewing."""
    requested_by_id = task_state.workflow_state.requested_by_id
    return requested_by_id is not None and requested_by_id == getattr(user, "pk", None)


def holds_step_role(user: Any, task_state: ReviewTaskState) -> bool:
    """Say whether the user holds the step's role in the step's organisation."""
    if not task_state.role:
        return False
    if task_state.organisation_id is None:
        from .countersign import signs_for

        return signs_for(user, task_state)  # a 会签 step: one of the organisations still due
    return users_with_role(task_state.role, task_state.organisation).filter(pk=user.pk).exists()


def is_reviewer(user: Any, task_state: ReviewTaskState) -> bool:
    """Say whether the user is one of the step's reviewers (by role or by assignment)."""
    if not _active(user):
        return False
    if ReviewAssignment.objects.filter(task_state=task_state, user=user).exists():
        return True
    return holds_step_role(user, task_state)


def refusal_to_review(user: Any, task_state: ReviewTaskState) -> str:
    """Return why the user may not approve or reject this step now, or ""."""
    if not _active(user):
        return _("您的账号不可用，不能审核。")
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return _("该审核步骤已经结束。")
    if is_submitter(user, task_state):
        return _("您是这条信息的提交人，不能审核通过自己提交的信息。")
    if not is_reviewer(user, task_state):
        return _("您不是“%(step)s”步骤的审核人。") % {"step": task_state.task.name}
    return ""


def current_step_state(task: ReviewTaskBase, obj: Any) -> ReviewTaskState | None:
    """Return the in-progress state of this step on the object, if the object is at this step."""
    state = getattr(obj, "current_workflow_task_state", None)
    if not isinstance(state, ReviewTaskState) or state.task_id != task.pk:
        return None
    return state


def actions_for(task: ReviewTaskBase, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
    """Return the workflow actions Wagtail should offer the user (none to the submitter)."""
    from .models import ScreeningTask

    state = current_step_state(task, obj)
    if state is None or refusal_to_review(user, state):
        return []
    approve_label = _("逐条说明理由后通过") if isinstance(task, ScreeningTask) else _("审核通过")
    return [
        ("reject", _("退回修改"), True),
        ("approve", approve_label, True),
    ]


def can_act_as_reviewer(task: ReviewTaskBase, obj: Any, user: Any) -> bool:
    """Say whether the user reviews the object's current step (editor access, lock)."""
    state = current_step_state(task, obj)
    return state is not None and not refusal_to_review(user, state)


def _organisation_covers(user: Any, item: Any) -> bool:
    from .routing import owning_organisation

    if user.is_superuser:
        return True
    owner = owning_organisation(item)
    if owner is None or user.organisation_id is None:
        return False
    return user.organisation_id in {owner.pk, owner.government().pk}


def refusal_to_force_publish(user: Any, item: Any) -> str:
    """Return why the user may not force publish the item, or ""."""
    if not _active(user):
        return _("您的账号不可用。")
    if not user.has_perm(FORCE_PUBLISH_PERMISSION):
        return _("您没有强制发布的权限。")
    if not _organisation_covers(user, item):
        return _("只能强制发布本单位或本级政府所属单位的信息。")
    return ""


def can_force_publish(user: Any, item: Any) -> bool:
    """Say whether the user may force publish the item."""
    return not refusal_to_force_publish(user, item)


def refusal_to_approve_retrospectively(user: Any, record: ForcePublication) -> str:
    """Return why the user may not approve a force publication afterwards, or ""."""
    if not _active(user):
        return _("您的账号不可用。")
    if not record.awaiting_approval:
        return _("这次强制发布已经事后审批。")
    if not user.has_perm(RETROSPECTIVE_APPROVAL_PERMISSION):
        return _("您没有事后审批强制发布的权限。")
    if record.forced_by_id == user.pk:
        return _("强制发布人不能事后审批自己的强制发布。")
    if record.submitted_by_id is not None and record.submitted_by_id == user.pk:
        return _("您是这条信息的提交人，不能事后审批。")
    if not _organisation_covers(user, record.item):
        return _("只能事后审批本单位或本级政府所属单位的信息。")
    return ""


def may_see_findings(user: Any, task_state: ReviewTaskState) -> bool:
    """Say whether the user may read a step's findings (its reviewers, the submitter, admins)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if is_submitter(user, task_state):
        return True
    return is_reviewer(user, task_state)


def may_see_force_publications(user: Any) -> bool:
    """Say whether the user may open the force publication report."""
    if not _active(user):
        return False
    return any(user.has_perm(permission) for permission in (
        FORCE_PUBLISH_PERMISSION, RETROSPECTIVE_APPROVAL_PERMISSION,
        "govsites_workflow.view_forcepublication"))
