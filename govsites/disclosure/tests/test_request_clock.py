"""The reply clock on the working-day calendar: holidays, 调休, pauses, 补正, extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govsites.accounts.roles import Role

from .. import clock, services
from ..models import DisclosureBody, DisclosureRequest
from .factories import make_body, make_staff, registered

D = dt.date


@pytest.fixture
def office(db: Any) -> Any:
    body = make_body()
    handler = make_staff(body, "handler")
    head = make_staff(body, "head", Role.HEAD)
    return body, handler, head


def test_the_twenty_working_days_skip_national_day_and_count_its_saturday_make_up_day(
        office: Any) -> None:
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    # 9-30, then 10-01..10-07 are 国庆 holidays; 10-10 (a Saturday) is a 调休 working day.
    assert case.deadline == D(2026, 11, 2)
    plain_weekdays = clock.deadline(start=D(2026, 9, 29), working_days=20,
                                    calendar=_WeekdaysOnly())
    assert plain_weekdays != case.deadline


class _WeekdaysOnly:
    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() < 5


def test_a_third_party_consultation_pauses_the_clock_and_it_resumes_the_day_after(
        office: Any) -> None:
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    case = services.start_consultation(request=case, acting_user=handler, kind="third_party",
                                       party="某培训学校", on=D(2026, 10, 9))
    assert case.state == "third_party"
    assert case.deadline is None  # paused: no deadline while waiting
    pause = case.pauses.get()
    assert pause.due_on == D(2026, 10, 29)  # 15 working days after 10-09 (10-10 counts)
    case = services.end_consultation(request=case, acting_user=handler, on=D(2026, 10, 16))
    # 10-10, 10-12 … 10-16 (6 working days) did not count: 11-02 moves 6 working days on.
    assert case.deadline == D(2026, 11, 10)
    assert case.state == "accepted"


def test_a_correction_restarts_the_clock_from_the_corrected_request(office: Any) -> None:
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    assert case.correction_notice_due == D(2026, 10, 14)
    case = services.request_correction(request=case, acting_user=handler,
                                       note="请说明所需招生计划的学段", on=D(2026, 10, 8))
    assert case.state == "correction" and case.deadline is None
    case = services.receive_correction(request=case, acting_user=handler, on=D(2026, 10, 20))
    assert case.clock_start == D(2026, 10, 20)
    assert case.deadline == D(2026, 11, 17)


def test_correction_is_asked_only_once_and_only_within_seven_working_days(office: Any) -> None:
    body, handler, _head = office
    late = registered(body, handler, D(2026, 9, 29))
    with pytest.raises(services.TransitionRefused):
        services.request_correction(request=late, acting_user=handler, note="补充说明",
                                    on=D(2026, 10, 15))
    assert DisclosureRequest.objects.get(pk=late.pk).state == "accepted"
    case = registered(body, handler, D(2026, 9, 29))
    services.request_correction(request=case, acting_user=handler, note="补充说明",
                                on=D(2026, 9, 30))
    services.receive_correction(request=case, acting_user=handler, on=D(2026, 10, 8))
    with pytest.raises(services.TransitionRefused):
        services.request_correction(request=case, acting_user=handler, note="再次补正",
                                    on=D(2026, 10, 9))


def test_a_lapsed_correction_closes_the_case_as_other_handling(office: Any) -> None:
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    case = services.request_correction(request=case, acting_user=handler, note="补充说明",
                                       on=D(2026, 9, 30))
    assert case.correction_due is not None
    with pytest.raises(services.TransitionRefused):
        services.close_lapsed(request=case, acting_user=None, on=case.correction_due)
    case = services.close_lapsed(request=case, acting_user=None,
                                 on=case.correction_due + dt.timedelta(days=1))
    assert (case.state, case.result) == ("replied", "other_no_correction")


def test_an_extension_is_capped_at_twenty_working_days_in_total(office: Any) -> None:
    body, handler, head = office
    case = registered(body, handler, D(2026, 9, 29))
    with pytest.raises(services.TransitionRefused):
        services.extend(request=case, acting_user=head, days=21, reason="材料较多",
                        on=D(2026, 10, 20))
    case = services.extend(request=case, acting_user=head, days=15, reason="材料较多",
                           on=D(2026, 10, 20))
    assert case.extension_days == 15
    with pytest.raises(services.TransitionRefused):
        services.extend(request=case, acting_user=head, days=6, reason="仍需时间",
                        on=D(2026, 10, 21))
    case = services.extend(request=case, acting_user=head, days=5, reason="仍需时间",
                           on=D(2026, 10, 21))
    # 20 + 20 working days from 9-29 is the hard cap of 40.
    assert case.deadline == clock.deadline(start=D(2026, 9, 29), working_days=40)
    assert case.deadline == D(2026, 11, 30)


def test_the_handler_cannot_approve_their_own_extension(office: Any) -> None:
    body, handler, head = office
    case = registered(body, head, D(2026, 9, 29))  # the head registered it: head handles
    with pytest.raises(PermissionDenied):
        services.extend(request=case, acting_user=head, days=5, reason="材料较多",
                        on=D(2026, 10, 9))
    with pytest.raises(PermissionDenied):  # a plain clerk is not the office's head either
        services.extend(request=case, acting_user=handler, days=5, reason="材料较多",
                        on=D(2026, 10, 9))
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 0


def test_an_overdue_case_is_listed_and_a_paused_one_is_not(office: Any) -> None:
    from .. import selectors

    body, handler, _head = office
    overdue = registered(body, handler, D(2026, 9, 1))
    paused = registered(body, handler, D(2026, 9, 1))
    services.start_consultation(request=paused, acting_user=handler, kind="other_agency",
                                party="示例市财政局", on=D(2026, 9, 2))
    rows = selectors.cases(DisclosureBody.objects.all(), overdue=True, today=D(2026, 11, 1))
    assert [r.pk for r in rows] == [overdue.pk]
