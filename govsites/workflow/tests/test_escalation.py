"""三级审核 by importance: which steps an item goes through, by default and per site."""

from __future__ import annotations

from typing import Any

import pytest

from govsites.workflow import routing, selectors, services
from govsites.workflow.choices import AppliesFrom
from govsites.workflow.models import ReviewTaskState, RoleReviewTask

from .conftest import draft, submit, walk

ONE = ["审核负责人审核", "分管领导审核"]  # a clean item passes 内容检查 by itself
MATRIX = {
    "normal": ONE,
    "major": [*ONE, "本级政府分管领导审核"],
    "critical": [*ONE, "本级政府分管领导审核", "本级政府主要领导审核"],
}


@pytest.mark.parametrize(("importance", "expected"), list(MATRIX.items()))
def test_department_item_goes_through_the_steps_its_importance_requires(
        cluster: Any, approvers: Any, importance: str, expected: list[str]) -> None:
    item = draft(cluster.dept_column, importance=importance)
    submit(item, cluster.dept_editor)

    met = walk(item, approvers("department"))

    item.refresh_from_db()
    assert met == expected
    assert item.live
    screening = ReviewTaskState.objects.get(task__name="内容检查")
    assert screening.status == "approved"
    assert screening.finished_by is None  # passed by itself: nothing was found


@pytest.mark.parametrize(("importance", "expected"), list(MATRIX.items()))
def test_planned_chain_matches_the_chain_walked(cluster: Any, importance: str,
                                                expected: list[str]) -> None:
    item = draft(cluster.dept_column, importance=importance)
    plan = routing.planned_chain(item, item.get_workflow())
    assert [step.task.name for step in plan if step.applies] == ["内容检查", *expected]


def test_government_steps_find_their_reviewers_in_the_owning_government(cluster: Any,
                                                                       approvers: Any) -> None:
    item = draft(cluster.dept_column, importance="critical")
    submit(item, cluster.dept_editor)

    walk(item, approvers("department"))

    organisations = {state.task.name: state.organisation for state in
                     ReviewTaskState.objects.filter(status="approved").select_related("task")}
    assert organisations["审核负责人审核"] == cluster.department
    assert organisations["分管领导审核"] == cluster.department
    assert organisations["本级政府分管领导审核"] == cluster.government
    assert organisations["本级政府主要领导审核"] == cluster.government


def test_one_workflow_definition_serves_every_department(cluster: Any) -> None:
    dept_item = draft(cluster.dept_column)
    portal_item = draft(cluster.portal_column)
    assert dept_item.get_workflow() == portal_item.get_workflow() == selectors.default_workflow()


def test_item_owned_by_the_government_is_not_reviewed_twice_by_its_deputy(
        cluster: Any, approvers: Any) -> None:
    item = draft(cluster.portal_column, importance="major")
    submit(item, cluster.gov_editor)

    met = walk(item, approvers("government"))

    assert met == ONE
    skipped = ReviewTaskState.objects.get(task__name="本级政府分管领导审核", status="skipped")
    assert "无需重复审核" in skipped.comment


def test_skipped_steps_say_why(cluster: Any, approvers: Any) -> None:
    item = draft(cluster.dept_column, importance="normal")
    submit(item, cluster.dept_editor)
    walk(item, approvers("department"))

    reasons = dict(ReviewTaskState.objects.filter(status="skipped")
                   .values_list("task__name", "comment"))
    assert set(reasons) == {"一校", "二校", "三校", "单位主要领导审核", "政府办公室分管领导审核",
                            "本级政府分管领导审核", "本级政府主要领导审核"}
    assert reasons["一校"] == "本网站未启用三校。"
    assert "重大及以上信息" in reasons["本级政府分管领导审核"]


def _task(name: str) -> RoleReviewTask:
    return RoleReviewTask.objects.get(name=name)


@pytest.fixture
def customised(cluster: Any) -> Any:
    """The department site: 三校 on; 分管领导 and the government's 主要领导 from 重大."""
    services.set_review_policy(
        site=cluster.department_site, acting_user=None, proofreading_enabled=True,
        applies_from={_task("分管领导审核").pk: AppliesFrom.MAJOR,
                      _task("本级政府主要领导审核").pk: AppliesFrom.MAJOR})
    return cluster


CUSTOM_MATRIX = {
    "normal": ["一校", "二校", "三校", "审核负责人审核"],
    "major": ["一校", "二校", "三校", "审核负责人审核", "分管领导审核",
              "本级政府分管领导审核", "本级政府主要领导审核"],
    "critical": ["一校", "二校", "三校", "审核负责人审核", "分管领导审核",
                 "本级政府分管领导审核", "本级政府主要领导审核"],
}


@pytest.mark.parametrize(("importance", "expected"), list(CUSTOM_MATRIX.items()))
def test_site_policy_changes_which_steps_apply(customised: Any, approvers: Any,
                                               importance: str, expected: list[str]) -> None:
    item = draft(customised.dept_column, importance=importance)
    submit(item, customised.dept_editor)

    met = walk(item, approvers("department"))

    item.refresh_from_db()
    assert met == expected
    assert item.live


def test_site_policy_leaves_other_sites_on_the_national_defaults(customised: Any,
                                                                 approvers: Any) -> None:
    item = draft(customised.portal_column, importance="normal")
    submit(item, customised.gov_editor)

    assert walk(item, approvers("government")) == ONE


def test_step_turned_off_by_a_site_is_skipped_for_every_importance(cluster: Any,
                                                                   approvers: Any) -> None:
    services.set_review_policy(site=cluster.department_site, acting_user=None,
                               proofreading_enabled=False,
                               applies_from={_task("分管领导审核").pk: AppliesFrom.NEVER})
    item = draft(cluster.dept_column, importance="critical")
    submit(item, cluster.dept_editor)

    met = walk(item, approvers("department"))

    assert "分管领导审核" not in met
    assert met[-1] == "本级政府主要领导审核"


def test_policy_override_equal_to_the_national_default_is_not_stored(cluster: Any) -> None:
    policy = services.set_review_policy(
        site=cluster.department_site, acting_user=None, proofreading_enabled=False,
        applies_from={_task("本级政府分管领导审核").pk: AppliesFrom.MAJOR})
    assert not policy.steps.exists()


def test_importance_raised_during_review_adds_the_leaders_steps(cluster: Any,
                                                                approvers: Any) -> None:
    item = draft(cluster.dept_column, importance="normal")
    submit(item, cluster.dept_editor)
    who = approvers("department")
    walk_until = "分管领导审核"
    from .conftest import act, current_step_name

    while current_step_name(item) != walk_until:
        act(item, who[current_step_name(item)])
    latest = item.get_latest_revision().as_object()
    latest.importance = "critical"
    latest.save_revision(user=cluster.dept_deputy)

    met = walk(item, who)

    assert met[-2:] == ["本级政府分管领导审核", "本级政府主要领导审核"]
