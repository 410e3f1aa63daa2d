"""The 3-month 单项否决 (IA-02) read by the inspector, and the yearly and monthly statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.interaction import selectors, services

from .conftest import write

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _veto_findings(portal: Any, as_of: dt.date) -> list[Any]:
    from govsites.monitoring.platform_rules import platform_findings
    from govsites.monitoring.prober import probe_url
    from govsites.monitoring.rulebook import load_rulebook

    findings = platform_findings(portal, base_url=probe_url(portal),
                                 rulebook=load_rulebook(site=portal), as_of=as_of)
    return [f for f in findings if f.rule_id == "interaction.unanswered"]


def test_a_message_unanswered_for_more_than_three_months_fails_the_site(
        portal: Any, mailbox: Any) -> None:
    write(mailbox, now=_at(dt.date(2026, 3, 2)))
    assert _veto_findings(portal, dt.date(2026, 5, 31)) == []  # 90 days: not yet
    findings = _veto_findings(portal, dt.date(2026, 6, 1))  # 91 days
    assert len(findings) == 1 and findings[0].veto


def test_an_invalid_message_with_its_reason_leaves_the_rule(portal: Any, mailbox: Any,
                                                           clerk: Any) -> None:
    enquiry = write(mailbox, now=_at(dt.date(2026, 3, 2))).enquiry
    services.reject_enquiry(enquiry=enquiry, acting_user=clerk, reason="advertising")
    assert _veto_findings(portal, dt.date(2026, 7, 1)) == []


def test_a_message_answered_within_three_months_passes_and_one_older_than_a_year_is_ignored(
        portal: Any, mailbox: Any, clerk: Any, approver: Any) -> None:
    today = timezone.localdate()
    as_of = today + dt.timedelta(days=100)
    write(mailbox, now=_at(as_of - dt.timedelta(days=400)))  # outside the one-year window
    enquiry = write(mailbox, now=_at(today - dt.timedelta(days=30))).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(enquiry=enquiry, acting_user=clerk,
                                                      body="答复。"), acting_user=approver)
    assert _veto_findings(portal, as_of) == []


def test_the_veto_limit_is_rule_data(portal: Any, mailbox: Any) -> None:
    from govsites.rules.services import set_override

    from .test_enquiry_deadlines import _platform_admin

    write(mailbox, now=_at(dt.date(2026, 3, 2)))
    set_override(key="interaction.unanswered.max_unanswered_days", value=120, site=None,
                 reason="测试", acting_user=_platform_admin(portal))
    assert _veto_findings(portal, dt.date(2026, 6, 1)) == []


def test_yearly_statistics_count_what_the_annual_report_needs(
        portal: Any, mailbox: Any, clerk: Any, approver: Any) -> None:
    answered = write(mailbox, now=_at(dt.date(2026, 9, 30))).enquiry
    services.accept_enquiry(enquiry=answered, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(enquiry=answered, acting_user=clerk,
                                                      body="答复。"), acting_user=approver)
    services.reject_enquiry(enquiry=write(mailbox, now=_at(dt.date(2026, 10, 9))).enquiry,
                            acting_user=clerk, reason="duplicate")
    write(mailbox, now=_at(dt.date(2026, 11, 2)))
    write(mailbox, now=_at(dt.date(2025, 11, 2)))
    stats = selectors.yearly_statistics(portal, 2026)
    assert stats["enquiries_received"] == 3 and stats["enquiries_invalid"] == 1
    assert stats["enquiries_valid"] == 2 and stats["enquiries_replied"] == 1
    assert stats["enquiries_unanswered"] == 1 and stats["enquiries_public"] == 1
    # answered today, long after its 2026-10-13 deadline
    assert stats["enquiries_replied_on_time"] == 0
    assert stats["average_working_days"] == answered.__class__.objects.get(
        pk=answered.pk).working_days_taken


def test_monthly_statistics_put_each_message_in_its_month(mailbox: Any) -> None:
    write(mailbox, now=_at(dt.date(2026, 9, 30)))
    write(mailbox, now=_at(dt.date(2026, 10, 9)))
    write(mailbox, now=_at(dt.date(2026, 10, 12)))
    rows = {row.month: row.counts.received for row in selectors.monthly_statistics(mailbox, 2026)}
    assert rows[9] == 1 and rows[10] == 2 and rows[11] == 0
