"""The submitter never approves their own item, at any step; only a step's reviewers act."""

from __future__ import annotations

from typing import Any

import pytest

from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.workflow import services
from govsites.workflow.exceptions import ReviewRefused

from .conftest import VALID_ID, act, current_state, current_step_name, draft, make_person, submit


@pytest.fixture
def all_roles_submitter(cluster: Any) -> Any:
    """A 市政府 official holding every reviewing role there, who submits an item."""
    return make_person("szf_all", cluster.government, Role.EDITOR, Role.REVIEWER,
                       Role.DEPUTY_HEAD, Role.HEAD, real_name="身兼数职者")


def test_submitter_cannot_approve_at_any_step_even_holding_every_role(
        cluster: Any, all_roles_submitter: Any) -> None:
    from govsites.workflow.models import ScreeningTask

    services.set_review_policy(site=cluster.portal, acting_user=None, proofreading_enabled=True,
                               applies_from={})
    item = draft(cluster.portal_column, importance="critical",
                 body=f"<p>联系人身份证号{VALID_ID}。</p>")
    submit(item, all_roles_submitter)
    legitimate = {"内容检查": cluster.gov_reviewer, "一校": cluster.gov_editor,
                  "二校": cluster.gov_reviewer, "三校": cluster.gov_deputy,
                  "审核负责人审核": cluster.gov_reviewer, "分管领导审核": cluster.gov_deputy,
                  "本级政府主要领导审核": cluster.gov_head}
    refused_at = []
    while (name := current_step_name(item)) is not None:
        state = current_state(item)
        task = state.task.specific
        assert task.get_actions(item, all_roles_submitter) == []
        assert not task.user_can_access_editor(item, all_roles_submitter)
        with pytest.raises(ReviewRefused, match="提交人"):
            act(item, all_roles_submitter, "approve", comment="自己通过")
        with pytest.raises(ReviewRefused, match="提交人"):
            act(item, all_roles_submitter, "reject", comment="自己退回")
        refused_at.append(name)
        data: dict[str, str] = {}
        if isinstance(task, ScreeningTask):
            data = {f"override_{f.pk}": "经核实为公开的单位联系人信息" for f in
                    state.screening_runs.get().findings.all()}
        act(item, legitimate[name], "approve", **data)
    item.refresh_from_db()
    assert item.live
    assert refused_at == ["内容检查", "一校", "二校", "三校", "审核负责人审核", "分管领导审核",
                          "本级政府主要领导审核"]


def test_submitter_refusal_holds_when_calling_the_service_directly(cluster: Any) -> None:
    submitter = make_person("jyj_both", cluster.department, Role.EDITOR, Role.REVIEWER)
    item = draft(cluster.dept_column)
    submit(item, submitter)
    state = current_state(item)
    assert state.task.name == "审核负责人审核"

    with pytest.raises(ReviewRefused) as refusal:
        services.approve_task(task_state=state, acting_user=submitter)

    assert str(refusal.value) == "您是这条信息的提交人，不能审核通过自己提交的信息。"
    assert current_state(item).pk == state.pk
    assert not AuditRecord.objects.filter(action="workflow.task.approve").exists()


def test_reviewer_of_another_organisation_cannot_act(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    state = current_state(item)

    assert state.task.specific.get_actions(item, cluster.gov_reviewer) == []
    with pytest.raises(ReviewRefused, match="不是“审核负责人审核”步骤的审核人"):
        act(item, cluster.gov_reviewer)


def test_step_holder_with_a_different_role_cannot_act(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    with pytest.raises(ReviewRefused):
        act(item, cluster.dept_deputy)  # 分管领导 cannot do the 审核负责人's step
    act(item, cluster.dept_reviewer)
    assert current_step_name(item) == "分管领导审核"


def test_reviewer_sees_the_actions_and_may_open_the_editor(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    task = current_state(item).task.specific

    names = [name for name, _label, _modal in task.get_actions(item, cluster.dept_reviewer)]

    assert names == ["reject", "approve"]
    assert task.user_can_access_editor(item, cluster.dept_reviewer)
    assert not task.locked_for_user(item, cluster.dept_reviewer)
    assert task.locked_for_user(item, cluster.dept_editor)


def test_rejection_needs_an_opinion_and_returns_the_item_to_its_submitter(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    workflow_state = submit(item, cluster.dept_editor)

    with pytest.raises(ReviewRefused, match="必须填写意见"):
        act(item, cluster.dept_reviewer, "reject", comment="  ")
    act(item, cluster.dept_reviewer, "reject", comment="请补充发布机构。")

    workflow_state.refresh_from_db()
    assert workflow_state.status == "needs_changes"
    assert workflow_state.current_task_state.comment == "请补充发布机构。"
    record = AuditRecord.objects.get(action="workflow.task.reject")
    assert record.actor_id == cluster.dept_reviewer.pk
    assert record.details["comment"] == "请补充发布机构。"


def test_two_reviewers_cannot_both_finish_the_same_step(cluster: Any) -> None:
    second = make_person("jyj_reviewer2", cluster.department, Role.REVIEWER)
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    state = current_state(item)

    services.approve_task(task_state=state, acting_user=cluster.dept_reviewer)

    with pytest.raises(ReviewRefused, match="已经结束"):
        services.approve_task(task_state=state, acting_user=second)


def test_every_transition_is_audited_with_our_action_names(cluster: Any, approvers: Any) -> None:
    from .conftest import walk

    item = draft(cluster.dept_column, importance="major")
    submit(item, cluster.dept_editor)
    walk(item, approvers("department"))

    actions = list(AuditRecord.objects.filter(action__startswith="workflow.", object_id=str(item.pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions[:2] == ["workflow.item.submit", "workflow.screening.run"]
    assert actions.count("workflow.task.approve") == 3
    # 三校 ×3, 单位主要领导, 政府办公室分管领导 (national default: neither), 本级政府主要领导
    assert actions.count("workflow.task.skip") == 6
    assert actions[-1] == "workflow.item.approve"


def test_resubmission_after_changes_is_audited(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    workflow_state = submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer, "reject", comment="请修改标题。")
    workflow_state.refresh_from_db()

    item.save_revision(user=cluster.dept_editor)
    workflow_state.resume(user=cluster.dept_editor)

    assert AuditRecord.objects.filter(action="workflow.item.resubmit",
                                      object_id=str(item.pk)).count() == 1
    assert current_step_name(item) == "审核负责人审核"
