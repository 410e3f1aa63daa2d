"""Staff reminders: nearly due, overdue, and the 60/80-day alerts before the 3-month veto."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.core.models import NotificationDelivery
from govsites.interaction.reminders import OVERDUE, UNANSWERED, remind_deadlines

from .conftest import write

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_handlers_are_reminded_the_working_day_before_and_alerted_after_the_deadline(
        mailbox: Any, clerk: Any) -> None:
    enquiry = write(mailbox, now=_at(dt.date(2026, 9, 30))).enquiry  # due 2026-10-13
    assert remind_deadlines(today=dt.date(2026, 10, 9)).due == 0
    assert remind_deadlines(today=dt.date(2026, 10, 12)).due == 1
    assert remind_deadlines(today=dt.date(2026, 10, 12)).due == 0  # once a day
    counts = remind_deadlines(today=dt.date(2026, 10, 14))
    assert counts.overdue == 1
    delivery = NotificationDelivery.objects.get(kind=OVERDUE)
    assert delivery.recipient == clerk and enquiry.query_code in delivery.subject


def test_the_three_month_guard_alerts_once_at_60_and_once_at_80_days(mailbox: Any,
                                                                     clerk: Any) -> None:
    write(mailbox, now=_at(dt.date(2026, 3, 2)))
    assert remind_deadlines(today=dt.date(2026, 4, 30)).unanswered == 0  # 59 days
    assert remind_deadlines(today=dt.date(2026, 5, 1)).unanswered == 1  # 60 days
    assert remind_deadlines(today=dt.date(2026, 5, 2)).unanswered == 0
    assert remind_deadlines(today=dt.date(2026, 5, 21)).unanswered == 1  # 80 days
    keys = sorted(NotificationDelivery.objects.filter(kind=UNANSWERED)
                  .values_list("item_key", flat=True))
    assert [k.rsplit(":", 1)[1] for k in keys] == ["day60", "day80"]
