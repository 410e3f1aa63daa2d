import datetime as dt

import pytest

from govsites.core.calendar import (
    CalendarDataMissing,
    add_working_days,
    is_workday,
    package_years,
    working_days_between,
)
from govsites.core.models import CalendarDay, CalendarYear

D = dt.date.fromisoformat


@pytest.mark.django_db
def test_national_day_holidays_are_skipped_and_the_saturday_makeup_day_counts():
    # 2026: 10-01..10-07 off, Saturday 10-10 is a 调休 workday, Sunday 10-11 is off.
    assert add_working_days(D("2026-09-29"), 5) == D("2026-10-12")
    assert is_workday(D("2026-10-10")) is True
    assert is_workday(D("2026-10-05")) is False


@pytest.mark.django_db
def test_spring_festival_with_makeup_saturdays():
    # 2026 春节: 02-15..02-23 off; Saturdays 02-14 and 02-28 are workdays.
    assert is_workday(D("2026-02-14")) is True
    assert add_working_days(D("2026-02-13"), 1) == D("2026-02-14")
    assert add_working_days(D("2026-02-14"), 1) == D("2026-02-24")
    assert working_days_between(D("2026-02-13"), D("2026-02-28")) == 6


@pytest.mark.django_db
def test_the_start_day_is_not_counted_and_zero_days_is_the_same_day():
    assert add_working_days(D("2026-11-20"), 0) == D("2026-11-20")
    assert add_working_days(D("2026-11-20"), 1) == D("2026-11-23")  # Friday → Monday


@pytest.mark.django_db
def test_working_days_between_is_antisymmetric():
    assert working_days_between(D("2026-11-23"), D("2026-11-20")) == -1


def _first_year_without_data() -> int:
    """The year after chinesecalendar's data ends: whatever release is installed, the tests
    below speak about a year the package does not know (2027 once was; new releases add it)."""
    return package_years().stop


@pytest.mark.django_db
def test_a_year_without_data_raises_a_clear_error_instead_of_a_wrong_date():
    year = _first_year_without_data()
    with pytest.raises(CalendarDataMissing) as info:
        add_working_days(dt.date(year - 1, 12, 30), 5)
    assert str(year) in str(info.value)
    assert info.value.year == year


@pytest.mark.django_db
def test_an_entered_year_is_used_with_its_holidays_and_makeup_days():
    year = _first_year_without_data()
    first_monday = next(dt.date(year, 1, d) for d in range(1, 8)
                        if dt.date(year, 1, d).weekday() == 0)
    first_saturday = first_monday + dt.timedelta(days=5)
    CalendarYear.objects.create(year=year, complete=True, source="测试")
    CalendarDay.objects.create(date=first_monday, kind=CalendarDay.Kind.HOLIDAY, name="假日")
    CalendarDay.objects.create(date=first_saturday, kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert is_workday(first_monday) is False
    assert is_workday(first_saturday) is True  # a Saturday made a workday
    assert is_workday(first_monday + dt.timedelta(days=1)) is True  # an ordinary Tuesday
    assert is_workday(first_saturday + dt.timedelta(days=1)) is False  # an ordinary Sunday
    # From the Sunday before the holiday: Monday is off, Tuesday..Friday count, then Saturday.
    assert add_working_days(first_monday - dt.timedelta(days=1), 5) == first_saturday


@pytest.mark.django_db
def test_an_override_row_wins_over_the_package_data():
    CalendarDay.objects.create(date=D("2026-11-23"), kind=CalendarDay.Kind.HOLIDAY, name="临时")
    assert is_workday(D("2026-11-23")) is False
