"""The Chinese working-day calendar used by every statutory deadline.

Days count the way Chinese law counts periods: the day an event happens is not counted,
so `add_working_days(d, 20)` is the 20th working day after `d`. Official holidays and 调休
workdays come from chinesecalendar, overridden by the admin-editable CalendarDay table; a year
neither knows raises CalendarDataMissing instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext as _


class CalendarDataMissing(Exception):
    """No holiday arrangement is known for the year, so no deadline can be computed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _("%(year)s年的节假日安排尚未录入：请在后台“节假日年度”中录入国务院通知并标记为已完整录入。")
            % {"year": year}
        )


def _package_years() -> range:
    holidays = chinese_calendar.holidays
    years = {d.year for d in holidays}
    return range(min(years), max(years) + 1)


@lru_cache(maxsize=1)
def package_years() -> range:
    """Return the years chinesecalendar has data for."""
    return _package_years()


def _overrides(year: int) -> tuple[dict[dt.date, bool], bool]:
    from .models import CalendarDay, CalendarYear

    days = {
        row.date: row.kind == CalendarDay.Kind.WORKDAY
        for row in CalendarDay.objects.filter(date__year=year)
    }
    complete = CalendarYear.objects.filter(year=year, complete=True).exists()
    return days, complete


class WorkingCalendar:
    """A per-call cache over the database overrides; create one per computation."""

    def __init__(self) -> None:
        self._years: dict[int, tuple[dict[dt.date, bool], bool]] = {}

    def _year(self, year: int) -> tuple[dict[dt.date, bool], bool]:
        if year not in self._years:
            self._years[year] = _overrides(year)
        return self._years[year]

    def is_workday(self, day: dt.date) -> bool:
        """Say whether the day is a working day, or raise CalendarDataMissing."""
        overrides, complete = self._year(day.year)
        if day in overrides:
            return overrides[day]
        if day.year in package_years():
            return bool(chinese_calendar.is_workday(day))
        if complete:
            return day.weekday() < 5
        raise CalendarDataMissing(day.year)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """Return the `days`-th working day after `start` (start itself is not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def is_workday(day: dt.date) -> bool:
    """Say whether `day` is a Chinese working day (holidays and 调休 included)."""
    return WorkingCalendar().is_workday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Return the `days`-th working day after `start`, the way statutory periods are counted."""
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Count the working days after `start` up to and including `end`."""
    return WorkingCalendar().working_days_between(start, end)
