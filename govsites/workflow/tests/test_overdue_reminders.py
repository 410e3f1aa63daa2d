"""Overdue review steps (审核逾期): deadlines from the rule set, one reminder a day per reviewer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from govsites.core import notifications
from govsites.core.calendar import add_working_days
from govsites.core.models import NotificationDelivery
from govsites.core.periodic import jobs
from govsites.testing.sms import RecordingSmsGateway
from govsites.workflow import notices
from govsites.workflow.models import ReviewTaskState

from .conftest import current_state, draft, submit


@pytest.fixture
def sms(settings: Any) -> Iterator[type[RecordingSmsGateway]]:
    settings.GOVSITES_SMS_GATEWAY = "govsites.testing.sms.RecordingSmsGateway"
    RecordingSmsGateway.reset()
    yield RecordingSmsGateway
    RecordingSmsGateway.reset()


def _overdue_item(cluster: Any, title: str = "关于开展安全检查的通知") -> tuple[Any, ReviewTaskState]:
    item = draft(cluster.dept_column, title=title)
    submit(item, cluster.dept_editor)
    state = current_state(item)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ReviewTaskState.objects.filter(pk=state.pk).update(due_on=yesterday)
    return item, state


def test_step_deadline_comes_from_the_rule_set(cluster: Any) -> None:
    from govsites import rules
    from govsites.rules import services as rule_services


    by_step = dict(rules.value("review.deadline_working_days_by_step"))
    by_step["审核负责人审核"] = 5
    rule_services.set_override(key="review.deadline_working_days_by_step", value=by_step,
                               reason="试行延长审核时限", acting_user=None)
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    state = current_state(item)
    assert state.task.name == "审核负责人审核"
    assert state.due_on == add_working_days(timezone.localdate(), 5)


def test_reviewers_of_an_overdue_step_are_reminded_once_a_day_never_the_submitter(
        cluster: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    notifications.set_preferences(user=cluster.dept_reviewer, acting_user=cluster.dept_reviewer,
                                  email_enabled=True, sms_enabled=True,
                                  email="reviewer@jyj.example.gov.cn")
    item, _state = _overdue_item(cluster)

    with django_capture_on_commit_callbacks(execute=True):
        first = notices.remind_overdue_reviews()
        again = notices.remind_overdue_reviews()

    assert (first, again) == (1, 0)
    assert [s.mobile for s in sms.sent] == [cluster.dept_reviewer.mobile]
    assert "审核负责人审核" in sms.sent[0].text and item.title in sms.sent[0].text
    assert [m.to for m in mail.outbox] == [["reviewer@jyj.example.gov.cn"]]
    assert "/admin/workflow/mine/" in mail.outbox[0].body
    assert not NotificationDelivery.objects.filter(recipient=cluster.dept_editor).exists()

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_overdue_reviews(today=tomorrow) == 1


def test_steps_within_their_deadline_and_finished_steps_send_nothing(
        cluster: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)  # due in the future
    _done, state = _overdue_item(cluster, title="已经审核的信息")
    ReviewTaskState.objects.filter(pk=state.pk).update(status=ReviewTaskState.STATUS_APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_overdue_reviews() == 0
    assert sms.sent == [] and mail.outbox == []


def test_the_reminder_runs_as_a_periodic_job(cluster: Any, sms: Any,
                                             django_capture_on_commit_callbacks: Any) -> None:
    job = {j.name: j for j in jobs()}["workflow.remind_overdue_reviews"]
    _overdue_item(cluster)
    with django_capture_on_commit_callbacks(execute=True):
        result = job.task.enqueue()
    assert result.return_value == 1
    assert len(sms.sent) == 1
