"""Reply deadlines in Chinese working days, per mailbox and per rule variant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.interaction import deadlines

from .conftest import write

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_message_received_before_national_day_is_due_after_the_holiday_and_its_makeup_saturday(
        mailbox: Any) -> None:
    # 2026-09-30: 国庆 1–7 October off; Saturday 10 October is a 调休 working day.
    enquiry = write(mailbox, now=_at(dt.date(2026, 9, 30))).enquiry
    assert enquiry.reply_due == dt.date(2026, 10, 13)


def test_a_mailbox_can_set_its_own_working_days(mailbox: Any) -> None:
    mailbox.reply_working_days = 10
    mailbox.save()
    enquiry = write(mailbox, now=_at(dt.date(2026, 9, 30))).enquiry
    assert enquiry.reply_due == dt.date(2026, 10, 20)


def test_the_default_comes_from_the_rule_set(mailbox: Any) -> None:
    from govsites import rules

    assert deadlines.reply_working_days(mailbox) == rules.value(
        "interaction.reply_working_days", site=mailbox.site) == 5


def test_a_deadline_running_into_a_year_without_holiday_data_still_gives_a_date(
        mailbox: Any) -> None:
    enquiry = write(mailbox, now=_at(dt.date(2026, 12, 30))).enquiry
    # 31 December (Thu) is a working day; 2027 has no holiday data yet: Mon–Fri are counted.
    assert enquiry.reply_due == dt.date(2027, 1, 6)


def test_error_report_clocks_follow_the_variant(portal: Any) -> None:
    from govsites.rules.services import choose_variant

    assert deadlines.error_report_dues(portal, dt.date(2026, 9, 30)) == (None, None)
    admin = _platform_admin(portal)
    choose_variant(variant="nantong-2019", site=None, reason="南通", acting_user=admin)
    assert deadlines.error_report_dues(portal, dt.date(2026, 9, 30)) == (
        dt.date(2026, 10, 8), dt.date(2026, 10, 10))


def _platform_admin(portal: Any) -> Any:
    from govsites.accounts.roles import Role

    from .conftest import make_user

    return make_user(portal.host_organisation, Role.PLATFORM_ADMIN)
