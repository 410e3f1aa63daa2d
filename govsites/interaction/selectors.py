"""Reads of the public's messages: public listings, statistics, the 3-month guard.

Other apps read interaction only through this module:

- `yearly_statistics(site, year)` gives the annual report (年度报表, operations) its 留言办理
  and 找错 counts;
- `unanswered_too_long(site, as_of=…)` gives the inspector the 单项否决 of IA-02.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Q, QuerySet
from django.utils import timezone

from . import deadlines
from .choices import CommentStatus, EnquiryStatus, ErrorReportStatus, QuestionKind
from .models import Enquiry, ErrorReport, Interview, Mailbox, Reply, Survey


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _local(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def open_mailboxes(site: Any) -> QuerySet[Mailbox]:
    """The mailboxes of a site that take messages, in their order."""
    return Mailbox.objects.filter(site=site, is_open=True).select_related("organisation")


def mailbox_by_slug(site: Any, slug: str) -> Mailbox | None:
    """A site's mailbox by its address, or None."""
    return Mailbox.objects.filter(site=site, slug=slug).select_related("organisation", "site").first()


def public_replies(site: Any, *, mailbox: Mailbox | None = None) -> QuerySet[Enquiry]:
    """Answered messages whose writers allowed publication, newest answer first."""
    queryset = Enquiry.objects.filter(mailbox__site=site, status=EnquiryStatus.REPLIED,
                                      publish_allowed=True)
    if mailbox is not None:
        queryset = queryset.filter(mailbox=mailbox)
    return queryset.select_related("mailbox").order_by("-replied_at")


def published_reply(enquiry: Enquiry) -> Reply | None:
    """The approved reply of a message (its latest, after a reopening), or None."""
    return (enquiry.replies.filter(status="approved").select_related("organisation")
            .order_by("-decided_at").first())


def public_enquiry(site: Any, enquiry_id: int) -> Enquiry | None:
    """One published message of a site, or None when it is not public."""
    return public_replies(site).filter(pk=enquiry_id).first()


class InteractionYearStatistics(TypedDict):
    """留言办理 and 找错 counts of one site for one calendar year (Beijing time).

    enquiries_received: messages received in the year (all, held and invalid included)
    enquiries_invalid: of those, 不予受理 with a reason
    enquiries_valid: received minus invalid
    enquiries_replied: of the valid ones, answered (by the time of asking)
    enquiries_replied_on_time: of those, answered by their reply deadline
    enquiries_unanswered: valid ones not yet answered
    enquiries_public: answered ones published in the listing
    average_working_days: mean working days to answer (None when none was answered)
    error_reports_received / _answered_on_time / _unfinished / _finished_late: the 找错 counts
        of the annual report (late: finished more than `error_report.finished_late_after_days`
        calendar days after receipt)
    """

    year: int
    enquiries_received: int
    enquiries_invalid: int
    enquiries_valid: int
    enquiries_replied: int
    enquiries_replied_on_time: int
    enquiries_unanswered: int
    enquiries_public: int
    average_working_days: float | None
    error_reports_received: int
    error_reports_answered_on_time: int
    error_reports_unfinished: int
    error_reports_finished_late: int


@dataclass(frozen=True)
class PeriodCounts:
    received: int
    invalid: int
    accepted: int
    replied: int
    on_time: int
    unanswered: int
    public: int
    average_working_days: float | None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.replied) if self.replied else None


def _counts(enquiries: list[Enquiry]) -> PeriodCounts:
    valid = [e for e in enquiries if e.status != EnquiryStatus.INVALID]
    replied = [e for e in valid if e.status == EnquiryStatus.REPLIED]
    days = [e.working_days_taken for e in replied if e.working_days_taken is not None]
    return PeriodCounts(
        received=len(enquiries), invalid=len(enquiries) - len(valid),
        accepted=sum(1 for e in valid if e.accepted_at is not None),
        replied=len(replied), on_time=sum(1 for e in replied if e.on_time),
        unanswered=len(valid) - len(replied),
        public=sum(1 for e in replied if e.publish_allowed),
        average_working_days=round(sum(days) / len(days), 1) if days else None)


def _in_year(year: int) -> Q:
    return Q(received_at__gte=_day_start(dt.date(year, 1, 1)),
             received_at__lt=_day_start(dt.date(year + 1, 1, 1)))


def yearly_statistics(site: Any, year: int) -> InteractionYearStatistics:
    """Count one site's messages and 找错 reports received in `year` (for the annual report)."""
    counts = _counts(list(Enquiry.objects.filter(_in_year(year), mailbox__site=site).only(
        "status", "accepted_at", "replied_at", "reply_due", "publish_allowed",
        "working_days_taken")))
    late_after = dt.timedelta(days=deadlines.error_report_late_after_days(site))
    reports = list(ErrorReport.objects.filter(_in_year(year), site=site).only(
        "status", "received_at", "replied_at", "reply_due"))
    finished = [r for r in reports if r.status == ErrorReportStatus.REPLIED]
    return InteractionYearStatistics(
        year=year, enquiries_received=counts.received, enquiries_invalid=counts.invalid,
        enquiries_valid=counts.received - counts.invalid, enquiries_replied=counts.replied,
        enquiries_replied_on_time=counts.on_time, enquiries_unanswered=counts.unanswered,
        enquiries_public=counts.public, average_working_days=counts.average_working_days,
        error_reports_received=len(reports),
        error_reports_answered_on_time=sum(1 for r in finished if r.on_time),
        error_reports_unfinished=len(reports) - len(finished),
        error_reports_finished_late=sum(
            1 for r in finished if r.replied_at and r.replied_at - r.received_at > late_after))


@dataclass(frozen=True)
class MonthRow:
    month: int
    counts: PeriodCounts


def monthly_statistics(mailbox: Mailbox, year: int) -> list[MonthRow]:
    """Per month of `year`: a mailbox's received, accepted, replied, on-time and average days."""
    enquiries = list(Enquiry.objects.filter(_in_year(year), mailbox=mailbox).only(
        "status", "received_at", "accepted_at", "replied_at", "reply_due", "publish_allowed",
        "working_days_taken"))
    by_month: dict[int, list[Enquiry]] = {m: [] for m in range(1, 13)}
    for enquiry in enquiries:
        by_month[timezone.localtime(enquiry.received_at).month].append(enquiry)
    return [MonthRow(month, _counts(items)) for month, items in by_month.items()]


def year_totals(mailbox: Mailbox, year: int) -> PeriodCounts:
    """A mailbox's counts for the whole year."""
    return _counts(list(Enquiry.objects.filter(_in_year(year), mailbox=mailbox)))


@dataclass(frozen=True)
class Unanswered:
    """A valid message left unanswered longer than the limit (or answered only after it)."""

    enquiry_id: int
    query_code: str
    mailbox: str
    received: dt.date
    days: int
    replied: dt.date | None


def unanswered_too_long(site: Any, *, as_of: dt.date, max_days: int,
                        window_days: int) -> list[Unanswered]:
    """Valid messages of the last `window_days` unanswered for more than `max_days` (IA-02).

    A message counts when, as of `as_of`, it is still unanswered after more than `max_days`
    calendar days, or was answered only after that. Invalid messages (不予受理 with a reason)
    do not count.
    """
    since = _day_start(as_of - dt.timedelta(days=window_days))
    candidates = (Enquiry.objects.filter(mailbox__site=site, received_at__gte=since)
                  .exclude(status=EnquiryStatus.INVALID).select_related("mailbox")
                  .order_by("received_at"))
    found = []
    for enquiry in candidates:
        received = _local(enquiry.received_at)
        end = _local(enquiry.replied_at) if enquiry.replied_at else as_of
        days = (end - received).days
        if days > max_days:
            found.append(Unanswered(enquiry.pk, enquiry.query_code, enquiry.mailbox.name,
                                    received, days,
                                    _local(enquiry.replied_at) if enquiry.replied_at else None))
    return found


def open_enquiries() -> QuerySet[Enquiry]:
    """Messages still waiting for an answer (held, received or being handled)."""
    return Enquiry.objects.filter(status__in=[EnquiryStatus.HELD, EnquiryStatus.RECEIVED,
                                              EnquiryStatus.ACCEPTED]).select_related(
        "mailbox", "mailbox__site", "mailbox__organisation", "handling_organisation")


def open_or_any_enquiry(enquiry_id: int, site: Any) -> Enquiry | None:
    """The message a writer is following in this session (any state), on this site."""
    return (Enquiry.objects.select_related("mailbox", "handling_organisation")
            .filter(pk=enquiry_id, mailbox__site=site).first())


#: Steps a writer sees when following their message (internal drafting and returns are not shown).
PUBLIC_EVENT_KINDS = ("submitted", "accepted", "rejected", "transferred", "replied", "rated",
                      "reopened")


def public_events(enquiry: Enquiry) -> list[Any]:
    """The handling steps the writer may see, oldest first."""
    return list(enquiry.events.filter(kind__in=PUBLIC_EVENT_KINDS)
                .select_related("organisation", "to_organisation"))


@dataclass(frozen=True)
class Bar:
    """One month's bar of the chart (SVG units: the chart is 360 wide, bars at most 100 high)."""

    month: int
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class MailboxStatistics:
    mailbox: Mailbox
    months: list[MonthRow]
    totals: PeriodCounts
    peak: int

    @property
    def bars(self) -> list[Bar]:
        bars = []
        for row in self.months:
            height = round(100 * row.counts.received / self.peak) if self.peak else 0
            bars.append(Bar(row.month, row.counts.received, (row.month - 1) * 30 + 5,
                            110 - height, height))
        return bars


def mailbox_statistics(mailbox: Mailbox, year: int) -> MailboxStatistics:
    """A mailbox's public statistics for a year: each month and the year's totals."""
    months = monthly_statistics(mailbox, year)
    totals = year_totals(mailbox, year)
    return MailboxStatistics(mailbox, months, totals,
                             max((m.counts.received for m in months), default=0))


def public_surveys(site: Any) -> QuerySet[Survey]:
    """A site's surveys that have opened (upcoming ones are not shown)."""
    return Survey.objects.filter(site=site, opens_on__lte=timezone.localdate())


@dataclass(frozen=True)
class OptionCount:
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionResult:
    """One question's tally: counts per option, or how many wrote a text answer."""

    question_id: int
    text: str
    kind: str
    options: list[OptionCount]
    answered: int


@dataclass(frozen=True)
class SurveyResults:
    responses: int
    questions: list[QuestionResult]


def survey_results(survey: Survey) -> SurveyResults:
    """Count the answers of a survey (text answers only counted, never shown)."""
    answers = list(survey.responses.values_list("answers", flat=True))
    results = []
    for question in survey.questions.all():
        given = [a[str(question.pk)] for a in answers if str(question.pk) in a]
        options: list[OptionCount] = []
        if question.kind != QuestionKind.TEXT:
            labels = question.option_list
            counts = [0] * len(labels)
            for picked in given:
                for i in picked:
                    if 0 <= i < len(labels):
                        counts[i] += 1
            options = [OptionCount(label, n, round(100 * n / len(given), 1) if given else 0.0)
                       for label, n in zip(labels, counts, strict=True)]
        results.append(QuestionResult(question.pk, question.text, question.kind, options,
                                      len(given)))
    return SurveyResults(len(answers), results)


def public_interviews(site: Any) -> QuerySet[Interview]:
    """A site's interviews: coming ones (questions in advance), live and past ones."""
    return Interview.objects.filter(site=site)


def interview_feed(interview: Interview) -> list[dict[str, Any]]:
    """The published questions of an interview with their answers, as the live page shows them."""
    rows = interview.questions.filter(status=CommentStatus.PUBLISHED).order_by("submitted_at", "pk")
    return [{"id": q.pk, "question": q.content, "in_advance": q.in_advance,
             "asked_at": timezone.localtime(q.submitted_at).strftime("%H:%M"),
             "answer": q.answer, "guest": q.answered_by,
             "answered_at": timezone.localtime(q.answered_at).strftime("%H:%M")
             if q.answered_at else None}
            for q in rows]


def citizen_enquiries(citizen: Any) -> Any:
    """A citizen's own messages on every site of the cluster, newest first (我的留言, PA-15)."""
    return (Enquiry.objects.select_related("mailbox", "mailbox__site")
            .filter(citizen=citizen).order_by("-received_at", "-pk"))


def citizen_error_reports(citizen: Any) -> Any:
    """A citizen's own 找错 reports on every site of the cluster, newest first."""
    from .models import ErrorReport

    return (ErrorReport.objects.select_related("site").filter(citizen=citizen)
            .order_by("-received_at", "-pk"))
