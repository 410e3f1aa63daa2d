"""The monitoring 月报 and 通报 read the interaction app's records for 互动回应: messages
received and answered in the month, and valid ones unanswered past the veto limit (IA-02)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.interaction import services
from govsites.monitoring import reports

from .conftest import write

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_the_monthly_report_counts_the_months_messages_and_answers(
        portal: Any, mailbox: Any, clerk: Any, approver: Any) -> None:
    answered = write(mailbox, now=_at(dt.date(2026, 9, 1))).enquiry
    services.accept_enquiry(enquiry=answered, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(enquiry=answered, acting_user=clerk,
                                                      body="答复。"), acting_user=approver)
    write(mailbox, now=_at(dt.date(2026, 9, 20)))
    write(mailbox, now=_at(dt.date(2026, 8, 20)))  # another month
    html = reports.render_site_month(portal, 2026, 9)
    assert "本月收到留言 2 条，已答复 1 条" in html
    assert "平台未启用互动模块" not in html


def test_the_monthly_report_names_a_message_unanswered_past_the_veto_limit(
        portal: Any, mailbox: Any) -> None:
    late = write(mailbox, now=_at(dt.date(2026, 3, 2))).enquiry
    html = reports.render_site_month(portal, 2026, 6)  # 91 days and more by 30 June
    assert "有 1 条有效留言超过 90 天未答复（单项否决）" in html
    assert late.query_code in html and "至今未答复" in html
    quiet = reports.render_site_month(portal, 2026, 4)
    assert "没有超过 90 天未答复的有效留言" in quiet
