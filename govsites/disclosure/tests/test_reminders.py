"""The daily round: reminders at the rule's points before the deadline, daily once overdue,
lapsed periods closed, last year's report drafted with its deadline reminder."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govsites.core.models import NotificationDelivery

from .. import reminders, services
from ..models import AnnualReport, DisclosureRequest
from .factories import make_body, make_staff, registered

D = dt.date


@pytest.fixture
def office(db: Any) -> Any:
    body = make_body()
    return body, make_staff(body, "clerk")


def test_the_handler_is_reminded_five_and_one_working_days_before_and_daily_when_overdue(
        office: Any) -> None:
    body, clerk = office
    case = registered(body, clerk, D(2026, 9, 29))  # deadline 2026-11-02 (a Monday)
    assert reminders.remind_due_requests(D(2026, 10, 26)) == 1  # 5 working days left
    assert reminders.remind_due_requests(D(2026, 10, 27)) == 0  # 4 left: no reminder
    assert reminders.remind_due_requests(D(2026, 10, 30)) == 1  # 1 left
    assert reminders.remind_due_requests(D(2026, 11, 3)) == 1  # overdue
    assert reminders.remind_due_requests(D(2026, 11, 3)) == 0  # once a day
    subjects = list(NotificationDelivery.objects.values_list("subject", flat=True))
    assert any("还有5个工作日到期" in s for s in subjects)
    assert any("已超过答复期限" in s for s in subjects)
    assert all(case.reference in s for s in subjects)
    services.reply(request=case, acting_user=clerk, result="disclosed", reply_text="公开",
                   on=D(2026, 11, 4))
    assert reminders.remind_due_requests(D(2026, 11, 5)) == 0  # answered: quiet


def test_the_round_closes_lapsed_corrections_and_drafts_last_years_report(
        office: Any) -> None:
    body, clerk = office
    case = registered(body, clerk, D(2026, 9, 29))
    case = services.request_correction(request=case, acting_user=clerk, note="请补充",
                                       on=D(2026, 9, 30))
    assert case.correction_due is not None
    day_after = case.correction_due + dt.timedelta(days=1)
    assert reminders.close_lapsed_periods(case.correction_due) == 0
    assert reminders.close_lapsed_periods(day_after) == 1
    assert DisclosureRequest.objects.get(pk=case.pk).result == "other_no_correction"
    assert reminders.annual_reports_round(D(2027, 1, 2)) == 1
    report = AnnualReport.objects.get(body=body, year=2026)
    assert report.due_on == D(2027, 1, 31)
    reminded = NotificationDelivery.objects.filter(kind=reminders.REPORT_DEADLINE)
    assert not reminded.exists()  # four weeks ahead: not yet
    assert reminders.annual_reports_round(D(2027, 1, 18)) == 0  # drafted once
    assert reminded.count() == 1  # two weeks ahead (the rule's default)
