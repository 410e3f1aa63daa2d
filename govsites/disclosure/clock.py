"""The statutory clock of a request (条例第30、33条), computed on the working-day calendar.

The reply period runs from `clock_start` (the date of receipt, or of the corrected request)
and counts working days after it; days inside a pause (consultation of a third party or of
another agency, an unpaid fee) do not count. The period is the rule's reply days plus any
approved extension. All numbers are rule data (DS-03 … DS-07, DS-10) read through `Periods`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from govsites import rules
from govsites.core.calendar import WorkingCalendar


@dataclass(frozen=True)
class Periods:
    """The clock's numbers in working days, as the rule set decides them for a site."""

    reply: int
    extension: int
    correction_notice: int
    correction_period: int
    third_party: int
    other_agency: int
    fee_payment: int

    @property
    def cap(self) -> int:
        """The hard cap: the reply period plus the longest extension (条例第33条)."""
        return self.reply + self.extension


def periods(site: object | None = None) -> Periods:
    """Read the clock's periods from the rule set (national defaults, variants, overrides)."""
    values = rules.snapshot(site=site)
    return Periods(
        reply=int(values.value("disclosure.request.reply_working_days")),
        extension=int(values.value("disclosure.request.extension_working_days")),
        correction_notice=int(values.value("disclosure.request.correction_notice_working_days")),
        correction_period=int(values.value("disclosure.request.correction_period_working_days")),
        third_party=int(values.value("disclosure.request.third_party_working_days")),
        other_agency=int(values.value("disclosure.request.co_producer_working_days")),
        fee_payment=int(values.value("disclosure.fee.payment_working_days")),
    )


@dataclass(frozen=True)
class Pause:
    """Days after `start` up to and including `end` are not counted; `end` None: still paused."""

    start: dt.date
    end: dt.date | None


def _paused(day: dt.date, pauses: Iterable[Pause]) -> bool:
    return any(p.start < day and (p.end is None or day <= p.end) for p in pauses)


def deadline(*, start: dt.date, working_days: int, pauses: Iterable[Pause] = (),
             calendar: WorkingCalendar | None = None) -> dt.date | None:
    """Return the last day to reply, or None while a pause is still open.

    Only pauses after `start` count: a clock restarted by a 补正 forgets earlier pauses.
    """
    relevant = [p for p in pauses if p.end is None or p.end > start]
    if any(p.end is None for p in relevant):
        return None
    calendar = calendar or WorkingCalendar()
    day = start
    used = 0
    while used < working_days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day) and not _paused(day, relevant):
            used += 1
    return day


def working_days_used(*, start: dt.date, until: dt.date, pauses: Iterable[Pause] = (),
                      calendar: WorkingCalendar | None = None) -> int:
    """Count the working days of the period used from `start` up to and including `until`."""
    calendar = calendar or WorkingCalendar()
    relevant = list(pauses)
    used = 0
    day = start
    while day < until:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day) and not _paused(day, relevant):
            used += 1
    return used
