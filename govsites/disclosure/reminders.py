"""The daily round: reminders before the reply deadline, overdue notices, lapsed periods,
and the annual report's draft and deadline (条例第33、49条)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from govsites import rules
from govsites.accounts.models import User
from govsites.core.calendar import WorkingCalendar
from govsites.core.notifications import Notice, notify

from . import reports, services
from .choices import OPEN_STATES, PauseKind, RequestState
from .models import AnnualReport, DisclosureBody, DisclosureRequest

logger = logging.getLogger(__name__)

REQUEST_DEADLINE = "disclosure.deadline"
REPORT_DEADLINE = "disclosure.report"


def _staff(body: DisclosureBody) -> list[Any]:
    return list(User.objects.filter(is_active=True, organisation_id=body.organisation_id))


def remind_due_requests(today: dt.date | None = None) -> int:
    """Tell handlers (or the body's staff) about cases a set number of working days before
    the deadline and every day once overdue; return how many notices went out."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()
    sent = 0
    cases = (DisclosureRequest.objects.filter(state__in=[s.value for s in OPEN_STATES],
                                              deadline__isnull=False)
             .select_related("body__organisation", "handler"))
    for case in cases:
        site = case.body.organisation.sites.order_by("pk").first()
        points = [int(x) for x in rules.value("disclosure.request.reminder_working_days_left",
                                              site=site)]
        assert case.deadline is not None
        left = calendar.working_days_between(today, case.deadline)
        if left < 0:
            subject = f"政府信息公开申请{case.reference}已超过答复期限"
        elif left in points:
            subject = f"政府信息公开申请{case.reference}还有{left}个工作日到期"
        else:
            continue
        recipients = [case.handler] if case.handler else _staff(case.body)
        notice = Notice(kind=REQUEST_DEADLINE, item_key=f"disclosure:{case.pk}",
                        subject=subject,
                        body=f"答复期限：{case.deadline.isoformat()}（{case.body.name}）",
                        url=f"/admin/disclosure/requests/{case.pk}/")
        sent += len(notify(notice=notice, recipients=recipients, day=today))
    return sent


def close_lapsed_periods(today: dt.date | None = None) -> int:
    """Close cases whose correction or payment period ran out; return how many."""
    today = today or timezone.localdate()
    closed = 0
    lapsed = (DisclosureRequest.objects.filter(state=RequestState.CORRECTION,
                                               correction_due__lt=today)
              | DisclosureRequest.objects.filter(state=RequestState.FEE_DUE,
                                                 fee_due_on__lt=today))
    for case in lapsed:
        services.close_lapsed(request=case, acting_user=None, on=today)
        closed += 1
    return closed


def close_lapsed_consultations(today: dt.date | None = None) -> int:
    """End consultations whose period ran out unanswered (第32、34条); return how many."""
    today = today or timezone.localdate()
    lapsed = (DisclosureRequest.objects
              .filter(state__in=[RequestState.THIRD_PARTY, RequestState.OTHER_AGENCY],
                      pauses__kind__in=[PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY],
                      pauses__ended_on__isnull=True, pauses__due_on__lt=today)
              .distinct())
    for case in lapsed:
        services.lapse_consultation(request=case, acting_user=None, on=today)
    return len(lapsed)


def annual_reports_round(today: dt.date | None = None) -> int:
    """From 1 January, draft last year's report for every body; remind before its deadline.

    Returns the number of drafts created."""
    today = today or timezone.localdate()
    year = today.year - 1
    created = 0
    for body in DisclosureBody.objects.select_related("organisation"):
        existed = AnnualReport.objects.filter(body=body, year=year).exists()
        report = reports.draft_report(body=body, year=year, acting_user=None)
        created += 0 if existed else 1
        site = body.organisation.sites.order_by("pk").first()
        ahead = int(rules.value("reports.disclosure_annual.reminder_days_before", site=site))
        if report.published_at is None and 0 <= (report.due_on - today).days <= ahead:
            notify(notice=Notice(kind=REPORT_DEADLINE, item_key=f"disclosure-report:{report.pk}",
                                 subject=f"{year}年政府信息公开工作年度报告须于{report.due_on.isoformat()}前公布",
                                 body=body.name,
                                 url=f"/admin/disclosure/reports/{report.pk}/"),
                   recipients=_staff(body), day=today)
    return created


def daily_round(today: dt.date | None = None) -> dict[str, int]:
    """Run the whole round (the worker's daily job)."""
    return {"closed": close_lapsed_periods(today),
            "consultations": close_lapsed_consultations(today),
            "reminded": remind_due_requests(today),
            "drafted": annual_reports_round(today)}
