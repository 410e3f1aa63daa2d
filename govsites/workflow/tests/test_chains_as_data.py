"""Approval chains as data (RS-03, RS-04, RS-07) and 保密审查 as a step option (RS-09).

Each city's chain is its rule variant: the same workflow, with steps turned on by importance or
by the kind of item, so switching the variant changes who must approve.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.workflow import routing
from govsites.workflow.exceptions import ReviewRefused
from govsites.workflow.models import ReviewTaskState

from .conftest import act, current_state, current_step_name, draft, make_person, submit, walk
from .test_admin import XHR, admin_client

PROOFREADING = ["一校", "二校", "三校"]


def choose(variant: str) -> None:
    from govsites.rules import services as rule_services

    rule_services.choose_variant(variant=variant, reason="按本市办法审核", acting_user=None)


def with_unit_head(approvers: dict[str, Any], cluster: Any, owner: str) -> dict[str, Any]:
    head = cluster.dept_head if owner == "department" else cluster.gov_head
    return {**approvers, "单位主要领导审核": head}


@pytest.mark.parametrize(("importance", "expected"), [
    ("normal", [*PROOFREADING, "分管领导审核", "单位主要领导审核"]),
    ("major", [*PROOFREADING, "分管领导审核", "单位主要领导审核", "本级政府分管领导审核"]),
    ("critical", [*PROOFREADING, "分管领导审核", "单位主要领导审核", "本级政府分管领导审核",
                  "本级政府主要领导审核"]),
])
def test_liangping_chain_is_deputy_then_unit_head_and_escalates_to_the_district(
        cluster: Any, approvers: Any, importance: str, expected: list[str]) -> None:
    choose("liangping-2021")
    item = draft(cluster.dept_column, importance=importance)
    submit(item, cluster.dept_editor)

    met = walk(item, with_unit_head(approvers("department"), cluster, "department"))

    item.refresh_from_db()
    assert met == expected
    assert item.live
    plan = routing.planned_chain(item, item.get_workflow())
    assert [s.task.name for s in plan if s.applies] == ["内容检查", *expected]


@pytest.mark.parametrize(("importance", "expected"), [
    ("normal", [*PROOFREADING, "审核负责人审核", "分管领导审核"]),
    ("major", [*PROOFREADING, "审核负责人审核", "分管领导审核", "单位主要领导审核"]),
])
def test_meizhou_major_items_need_the_units_main_leader(
        cluster: Any, approvers: Any, importance: str, expected: list[str]) -> None:
    choose("meizhou-2021")
    item = draft(cluster.dept_column, importance=importance)
    submit(item, cluster.dept_editor)
    assert walk(item, with_unit_head(approvers("department"), cluster, "department")) == expected


def test_national_default_chain_has_no_unit_head_or_government_office_step(
        cluster: Any, approvers: Any) -> None:
    item = draft(cluster.dept_column, importance="major")
    submit(item, cluster.dept_editor)
    assert walk(item, approvers("department")) == ["审核负责人审核", "分管领导审核",
                                                   "本级政府分管领导审核"]
    skipped = dict(ReviewTaskState.objects.filter(workflow_state__object_id=str(item.pk),
                                                  status="skipped")
                   .values_list("task__name", "comment"))
    assert "未启用" in skipped["单位主要领导审核"]
    assert "政府办公室" in skipped["政府办公室分管领导审核"]


def test_nantong_government_documents_pass_the_government_offices_deputy_head(
        cluster: Any, approvers: Any) -> None:
    office = testing.make_organisation("示例市人民政府办公室", kind="department",
                                       parent=cluster.government)
    office_deputy = make_person("bgs_deputy", office, Role.DEPUTY_HEAD,
                                real_name="市政府办公室分管领导")
    choose("nantong-2019")
    documents = testing.make_column(cluster.portal.site.root_page.specific, title="市政府文件",
                                    column_type="政策文件")
    item = draft(documents, title="关于印发某某办法的通知")
    ordinary = draft(cluster.portal_column, title="关于停水的通知")
    submit(item, cluster.gov_editor)
    submit(ordinary, cluster.dept_editor2)

    chain = {**approvers("government"), "政府办公室分管领导审核": office_deputy}
    assert walk(item, chain) == ["审核负责人审核", "分管领导审核", "政府办公室分管领导审核"]
    assert walk(ordinary, chain) == ["审核负责人审核", "分管领导审核"]
    office_step = ReviewTaskState.objects.get(workflow_state__object_id=str(item.pk),
                                              task__name="政府办公室分管领导审核")
    assert office_step.organisation == office


def test_leader_resumes_are_matched_by_their_column_and_without_an_office_go_to_the_government(
        cluster: Any, approvers: Any) -> None:
    choose("meizhou-2021")
    leaders = testing.make_column(cluster.department_site.site.root_page.specific,
                                  title="领导简历", column_type="工作动态")
    item = draft(leaders, title="局长简历")
    assert routing.government_office_kind(item) == "领导简历"
    submit(item, cluster.dept_editor)

    chain = {**approvers("department"), "政府办公室分管领导审核": cluster.gov_deputy}
    assert walk(item, chain) == [*PROOFREADING, "审核负责人审核", "分管领导审核",
                                 "政府办公室分管领导审核"]
    office_step = ReviewTaskState.objects.get(workflow_state__object_id=str(item.pk),
                                              task__name="政府办公室分管领导审核")
    assert office_step.organisation == cluster.government


def test_secrecy_review_step_needs_the_reviewers_confirmation_and_records_it(
        cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)
    assert current_step_name(item) == "分管领导审核"
    state = current_state(item)

    with pytest.raises(ReviewRefused, match="保密审查"):
        act(item, cluster.dept_deputy, secrecy_confirmed=False)
    assert current_step_name(item) == "分管领导审核"

    act(item, cluster.dept_deputy, secrecy_confirmed=True)
    state.refresh_from_db()
    assert state.secrecy_confirmed_by == cluster.dept_deputy
    assert state.secrecy_confirmed_at is not None
    record = AuditRecord.objects.filter(action="workflow.task.approve").latest("pk")
    assert record.details["secrecy_confirmed"] is True


def test_secrecy_review_modal_asks_for_the_confirmation(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)
    state = current_state(item)
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", state.pk])
    client = admin_client(cluster.dept_deputy)

    assert 'name="secrecy_confirmed"' in client.get(url, **XHR).json()["html"]
    refused = client.post(url, {"task_state_id": state.pk}, **XHR)
    assert refused.json()["step"] == "action"
    assert "保密审查" in refused.json()["html"]
    accepted = client.post(url, {"task_state_id": state.pk, "secrecy_confirmed": "on"}, **XHR)
    assert accepted.json()["step"] == "success"
