"""会签: a step several organisations must each approve; any may send the item back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from wagtail.models import WorkflowTask

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.workflow import selectors
from govsites.workflow.exceptions import ReviewRefused
from govsites.workflow.models import CountersignSignature, CountersignTask

from .conftest import act, current_state, current_step_name, draft, make_person, submit


@dataclass
class Countersigning:
    finance: Any
    labour: Any
    finance_reviewer: Any
    labour_reviewer: Any
    task: CountersignTask


@pytest.fixture
def countersigning(cluster: Any) -> Countersigning:
    finance = testing.make_organisation("示例市财政局", kind="department",
                                        parent=cluster.government)
    labour = testing.make_organisation("示例市人力资源和社会保障局", kind="department",
                                       parent=cluster.government)
    task = CountersignTask.objects.create(name="会签", role=Role.REVIEWER, active=True)
    task.organisations.set([finance, labour, cluster.department])
    workflow = cluster.dept_column.get_workflow()
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=100)
    return Countersigning(
        finance=finance, labour=labour, task=task,
        finance_reviewer=make_person("czj_reviewer", finance, Role.REVIEWER),
        labour_reviewer=make_person("rsj_reviewer", labour, Role.REVIEWER))


def _to_countersign(cluster: Any) -> Any:
    item = draft(cluster.dept_column, title="关于联合开展助学工作的通知")
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)
    act(item, cluster.dept_deputy)
    assert current_step_name(item) == "会签"
    return item


def test_every_listed_organisation_must_approve_and_each_sees_it_in_my_tasks(
        cluster: Any, countersigning: Countersigning) -> None:
    item = _to_countersign(cluster)
    state = current_state(item)
    # the owner is not asked again; the other two each have a signature to give
    assert sorted(CountersignSignature.objects.filter(task_state=state)
                  .values_list("organisation__name", flat=True)) == \
        sorted(["示例市财政局", "示例市人力资源和社会保障局"])
    for person in (countersigning.finance_reviewer, countersigning.labour_reviewer):
        assert [p.item.pk for p in selectors.pending_reviews_for(person)] == [item.pk]
    assert selectors.pending_reviews_for(cluster.dept_reviewer) == []

    act(item, countersigning.finance_reviewer, comment="财政局同意")
    item.refresh_from_db()
    assert current_step_name(item) == "会签" and not item.live
    assert selectors.pending_reviews_for(countersigning.finance_reviewer) == []
    with pytest.raises(ReviewRefused):
        act(item, countersigning.finance_reviewer)  # one signature per organisation
    partial = AuditRecord.objects.get(action="workflow.countersign.approve")
    assert partial.details["remaining"] == ["示例市人力资源和社会保障局"]

    act(item, countersigning.labour_reviewer, comment="人社局同意")
    item.refresh_from_db()
    assert item.live
    final = AuditRecord.objects.filter(action="workflow.task.approve").latest("pk")
    assert {s["decision"] for s in final.details["countersign"]} == {"approved"}


def test_any_organisation_may_send_it_back_with_a_reason(
        cluster: Any, countersigning: Countersigning) -> None:
    item = _to_countersign(cluster)
    with pytest.raises(ReviewRefused, match="意见"):
        act(item, countersigning.labour_reviewer, "reject", comment=" ")
    act(item, countersigning.labour_reviewer, "reject", comment="补贴标准需与我局文件一致")
    item.refresh_from_db()
    assert item.current_workflow_state.status == "needs_changes"
    signature = CountersignSignature.objects.get(organisation=countersigning.labour)
    assert (signature.decision, signature.comment) == ("rejected", "补贴标准需与我局文件一致")
    record = AuditRecord.objects.filter(action="workflow.task.reject").latest("pk")
    assert record.details["countersign_organisation"] == countersigning.labour.pk


def test_people_outside_the_countersigning_organisations_cannot_act(
        cluster: Any, countersigning: Countersigning) -> None:
    item = _to_countersign(cluster)
    for outsider in (cluster.dept_reviewer, cluster.gov_reviewer):
        with pytest.raises(ReviewRefused):
            act(item, outsider)


def test_a_countersign_step_listing_only_the_owner_is_skipped(
        cluster: Any, countersigning: Countersigning) -> None:
    countersigning.task.organisations.set([cluster.department])
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)
    act(item, cluster.dept_deputy)
    item.refresh_from_db()
    assert item.live
