"""The clocks of the public's messages, as rule data read per site (never literals).

- A message's reply deadline: the mailbox's own working days, else the rule set's
  `interaction.reply_working_days` (IA-05), counted from the day it was received (转办 keeps it).
- The 3-month guard (IA-02, 单项否决): a valid message unanswered for more than
  `interaction.unanswered.max_unanswered_days` calendar days fails the whole site; staff are
  alerted at each of `interaction.unanswered.alert_days`.
- 找错 (IA-06/07/08): forwarded to the owning site within `error_report.forward_working_days`
  and answered within `error_report.reply_working_days` (南通 1 and 3); nationally no
  working-day limit, only the one-month count of the annual report
  (`error_report.finished_late_after_days`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govsites import rules
from govsites.core.calendar import CalendarDataMissing, WorkingCalendar


def reply_working_days(mailbox: Any) -> int:
    """The working days a mailbox's messages must be answered in."""
    if mailbox.reply_working_days:
        return int(mailbox.reply_working_days)
    return int(rules.value("interaction.reply_working_days", site=mailbox.site))


def reply_due(mailbox: Any, received: dt.date) -> dt.date:
    """The last day to answer a message received on `received` (that day not counted).

    A citizen can always write: when the deadline runs into a year whose holidays are not
    entered yet (CalendarDataMissing), Monday to Friday are counted for that year; the date is
    provisional until an administrator enters that year's 节假日安排.
    """
    days = reply_working_days(mailbox)
    try:
        return WorkingCalendar().add_working_days(received, days)
    except CalendarDataMissing:
        current, remaining = received, days
        while remaining:
            current += dt.timedelta(days=1)
            try:
                workday = WorkingCalendar().is_workday(current)
            except CalendarDataMissing:
                workday = current.weekday() < 5
            remaining -= int(workday)
        return current


def unanswered_limits(site: Any) -> tuple[int, list[int]]:
    """The 3-month limit in calendar days and the days at which staff are alerted before it."""
    values = rules.snapshot(site=site)
    limit = int(values.value("interaction.unanswered.max_unanswered_days"))
    alerts = sorted(int(d) for d in values.value("interaction.unanswered.alert_days"))
    return limit, [d for d in alerts if d < limit]


def error_report_dues(site: Any, received: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The forward and reply deadlines of a 找错 report (None where the rules set none)."""
    values = rules.snapshot(site=site)
    forward = values.value("error_report.forward_working_days")
    reply = values.value("error_report.reply_working_days")
    calendar = WorkingCalendar()
    return (calendar.add_working_days(received, int(forward)) if forward is not None else None,
            calendar.add_working_days(received, int(reply)) if reply is not None else None)


def error_report_late_after_days(site: Any) -> int:
    """Calendar days after which a finished 找错 report counts as finished late (annual report)."""
    return int(rules.value("error_report.finished_late_after_days", site=site))


def working_days_taken(received: dt.date, replied: dt.date) -> int:
    """Working days from receipt to reply (the receipt day not counted; 0 for the same day)."""
    return max(0, WorkingCalendar().working_days_between(received, replied))
