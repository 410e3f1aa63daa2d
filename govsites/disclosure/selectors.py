"""Reads of the disclosure app: case lists, overdue cases, repeated requests, statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govsites import rules
from govsites.core.calendar import WorkingCalendar

from . import clock
from .choices import OPEN_STATES, RequestState, Result
from .models import AnnualReport, DisclosureBody, DisclosureRequest


def bodies_on_site(organisation_ids: list[int]) -> QuerySet[DisclosureBody]:
    """The bodies of the given organisations (a site's host and its subordinate bodies)."""
    return (DisclosureBody.objects.select_related("organisation")
            .filter(organisation_id__in=organisation_ids))


def body_by_id(body_id: int) -> DisclosureBody | None:
    return DisclosureBody.objects.select_related("organisation").filter(pk=body_id).first()


def cases(bodies: QuerySet[DisclosureBody], *, state: str = "", overdue: bool = False,
          today: dt.date | None = None) -> QuerySet[DisclosureRequest]:
    """Cases of the given bodies, newest first; `overdue` keeps open cases past deadline."""
    rows = (DisclosureRequest.objects.filter(body__in=bodies)
            .select_related("body__organisation", "handler"))
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = overdue_cases(rows, today=today)
    return rows


def overdue_cases(rows: QuerySet[DisclosureRequest], *,
                  today: dt.date | None = None) -> QuerySet[DisclosureRequest]:
    """Open cases whose reply deadline has passed (a paused case has no deadline)."""
    today = today or timezone.localdate()
    return rows.filter(state__in=[s.value for s in OPEN_STATES], deadline__lt=today)


def repeated_subject_count(request: DisclosureRequest) -> tuple[int, bool]:
    """How many requests to the body ask for the same information, and whether that reaches
    the rule's threshold for offering 转主动公开 (条例第44条)."""
    count = DisclosureRequest.objects.filter(body=request.body,
                                             subject_key=request.subject_key).count()
    site = request.body.organisation.sites.order_by("pk").first()
    threshold = int(rules.value("disclosure.request.proactive_suggestion_threshold", site=site))
    return count, count >= threshold


def working_days_left(request: DisclosureRequest, *, today: dt.date,
                      calendar: WorkingCalendar | None = None) -> int | None:
    """Working days from today to the deadline (negative when overdue); None when paused."""
    if request.deadline is None:
        return None
    return (calendar or WorkingCalendar()).working_days_between(today, request.deadline)


@dataclass(frozen=True)
class CaseStatistics:
    """The statistics page: counts and timeliness of closed replies."""

    by_state: dict[str, int]
    by_result: dict[str, int]
    by_applicant_type: dict[str, int]
    by_body: dict[str, int]
    replied: int
    on_time: int
    average_working_days: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.replied if self.replied else None


def statistics(bodies: QuerySet[DisclosureBody], *, year: int | None = None) -> CaseStatistics:
    """Count cases by state, result, applicant type and body; average reply time in working
    days (pauses excluded) and the share answered within the deadline."""
    rows = DisclosureRequest.objects.filter(body__in=bodies)
    if year:
        rows = rows.filter(Q(received_on__year=year) | Q(received_on__isnull=True,
                                                         submitted_at__year=year))
    by_state = dict(rows.values_list("state").annotate(n=Count("pk")).order_by())
    by_result = dict(rows.exclude(result="").values_list("result").annotate(n=Count("pk"))
                     .order_by())
    by_type = dict(rows.values_list("applicant_type").annotate(n=Count("pk")).order_by())
    by_body = dict(rows.values_list("body__organisation__name").annotate(n=Count("pk"))
                   .order_by())
    calendar = WorkingCalendar()
    replied = on_time = 0
    total_days = 0
    closed = (rows.filter(state=RequestState.REPLIED, clock_start__isnull=False)
              .exclude(result__in=[Result.OTHER_NO_CORRECTION, Result.OTHER_FEE_UNPAID])
              .prefetch_related("pauses"))
    for case in closed:
        assert case.clock_start is not None and case.closed_on is not None
        pauses = [clock.Pause(p.started_on, p.ended_on) for p in case.pauses.all()]
        used = clock.working_days_used(start=case.clock_start, until=case.closed_on,
                                       pauses=pauses, calendar=calendar)
        periods = clock.periods(case.body.organisation.sites.order_by("pk").first())
        replied += 1
        total_days += used
        if used <= periods.reply + case.extension_days:
            on_time += 1
    return CaseStatistics(by_state=by_state, by_result=by_result, by_applicant_type=by_type,
                          by_body=by_body, replied=replied, on_time=on_time,
                          average_working_days=(total_days / replied) if replied else None)


def reports_for(bodies: QuerySet[DisclosureBody]) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(body__in=bodies).select_related("body__organisation")


def published_report(body: DisclosureBody, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(body=body, year=year, published_at__isnull=False).first()


def identity_for_staff(request: DisclosureRequest) -> dict[str, Any]:
    """The decrypted identity data, for the case page only."""
    return request.identity()
