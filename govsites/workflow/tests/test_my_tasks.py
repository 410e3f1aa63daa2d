"""我的待办: pending reviews, overdue first; submitted items with where they stand;
handing pending reviews to someone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.workflow import selectors, services
from govsites.workflow.exceptions import ReviewRefused
from govsites.workflow.models import ReviewTaskState

from .conftest import VALID_ID, act, current_state, draft, make_person, submit


def test_pending_reviews_list_overdue_first_then_by_deadline(cluster: Any) -> None:
    today = timezone.localdate()
    items = {}
    for title, due in [("较早到期", today + dt.timedelta(days=1)),
                       ("已超期较久", today - dt.timedelta(days=5)),
                       ("较晚到期", today + dt.timedelta(days=3)),
                       ("刚超期", today - dt.timedelta(days=1))]:
        item = draft(cluster.dept_column, title=title)
        submit(item, cluster.dept_editor)
        ReviewTaskState.objects.filter(pk=current_state(item).pk).update(due_on=due)
        items[title] = item

    pending = selectors.pending_reviews_for(cluster.dept_reviewer)

    assert [p.item.title for p in pending] == ["已超期较久", "刚超期", "较早到期", "较晚到期"]
    assert [p.overdue for p in pending] == [True, True, False, False]
    assert selectors.pending_reviews_for(cluster.dept_deputy) == []


def test_step_deadline_counts_working_days(cluster: Any) -> None:
    from govsites.core.calendar import add_working_days

    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    state = current_state(item)
    assert state.due_on == add_working_days(timezone.localdate(), 2)


def test_submitter_never_sees_their_own_item_among_pending_reviews(cluster: Any) -> None:
    both = make_person("jyj_both", cluster.department, Role.EDITOR, Role.REVIEWER)
    item = draft(cluster.dept_column)
    submit(item, both)
    assert selectors.pending_reviews_for(both) == []
    assert [p.item.pk for p in selectors.pending_reviews_for(cluster.dept_reviewer)] == [item.pk]


def test_government_leader_sees_department_items_at_the_government_step(cluster: Any) -> None:
    item = draft(cluster.dept_column, importance="major")
    submit(item, cluster.dept_editor)
    assert selectors.pending_reviews_for(cluster.gov_deputy) == []
    act(item, cluster.dept_reviewer)
    act(item, cluster.dept_deputy)

    [pending] = selectors.pending_reviews_for(cluster.gov_deputy)
    assert pending.step_name == "本级政府分管领导审核"
    assert pending.submitted_by == cluster.dept_editor


def test_submitted_items_show_where_they_stand(cluster: Any) -> None:
    waiting = draft(cluster.dept_column, title="待审的")
    returned = draft(cluster.dept_column, title="被退回的")
    submit(waiting, cluster.dept_editor)
    submit(returned, cluster.dept_editor)
    act(returned, cluster.dept_reviewer, "reject", comment="请补充附件。")

    rows = {row.item.title: row for row in selectors.submitted_items_for(cluster.dept_editor)}

    assert rows["待审的"].status_label == "审核中"
    assert rows["待审的"].current_step == "审核负责人审核"
    assert rows["待审的"].reviewers == [cluster.dept_reviewer]
    assert rows["被退回的"].status_label == "已退回修改"
    assert rows["被退回的"].comment == "请补充附件。"


def test_reassigning_hands_pending_reviews_to_a_colleague(cluster: Any) -> None:
    colleague = make_person("jyj_new", cluster.department, Role.EDITOR)
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)

    result = services.reassign_pending_tasks(from_user=cluster.dept_reviewer, to_user=colleague,
                                             acting_user=cluster.dept_head, reason="岗位调整")

    assert result.reassigned == [current_state(item).pk]
    assert [p.item.pk for p in selectors.pending_reviews_for(colleague)] == [item.pk]
    act(item, colleague)
    assert AuditRecord.objects.get(action="workflow.task.reassign").details["reassigned"] == \
        result.reassigned


def test_reassigning_works_for_a_disabled_account_and_skips_the_successors_own_items(
        cluster: Any) -> None:
    own = draft(cluster.dept_column, title="接手人自己提交的")
    other = draft(cluster.dept_column, title="别人提交的")
    submit(own, cluster.dept_editor2)
    submit(other, cluster.dept_editor)
    cluster.dept_reviewer.is_active = False
    cluster.dept_reviewer.save(update_fields=["is_active"])

    result = services.reassign_pending_tasks(from_user=cluster.dept_reviewer,
                                             to_user=cluster.dept_editor2, acting_user=None)

    assert result.skipped_own_submission == [current_state(own).pk]
    assert result.reassigned == [current_state(other).pk]
    with pytest.raises(ReviewRefused, match="提交人"):
        act(own, cluster.dept_editor2)


def test_reassigning_to_the_same_person_is_refused(cluster: Any) -> None:
    with pytest.raises(ReviewRefused):
        services.reassign_pending_tasks(from_user=cluster.dept_reviewer,
                                        to_user=cluster.dept_reviewer, acting_user=None)


def test_steps_nobody_can_review_are_listed(cluster: Any) -> None:
    cluster.dept_reviewer.is_active = False
    cluster.dept_reviewer.save(update_fields=["is_active"])
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    assert [s.pk for s in selectors.steps_without_reviewers()] == [current_state(item).pk]


def test_departure_hands_the_leavers_pending_reviews_to_the_successor(cluster: Any) -> None:
    from govsites.accounts.services import handle_departure

    site_admin = make_person("jyj_admin", cluster.department, Role.SITE_ADMIN)
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)

    handle_departure(user=cluster.dept_reviewer, successor=cluster.dept_editor2,
                     acting_user=site_admin, reason="调离")

    assert [p.item.pk for p in selectors.pending_reviews_for(cluster.dept_editor2)] == [item.pk]
    act(item, cluster.dept_editor2)
    assert not AuditRecord.objects.filter(action="workflow.task.reassign").exists()


def test_pending_reviews_cost_the_same_queries_for_three_items_as_for_six(
        cluster: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def submit_some(n: int) -> None:
        for i in range(n):
            item = draft(cluster.dept_column, title=f"通知{i}", body=f"<p>身份证{VALID_ID}</p>")
            submit(item, cluster.dept_editor)

    def count() -> int:
        reviewer = type(cluster.dept_reviewer).objects.get(pk=cluster.dept_reviewer.pk)
        with CaptureQueriesContext(connection) as queries:
            assert selectors.pending_reviews_for(reviewer)
        return len(queries)

    submit_some(3)
    three = count()
    submit_some(3)
    assert count() == three
