"""Consultations nobody answers in time (条例第32、34条): the co-producer's silence is consent,
the third party's leaves the decision to the body; the pause ends with the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govsites.core.models import AuditRecord

from .. import reminders, services
from ..choices import ConsultationOutcome
from ..models import RequestEvent
from .factories import make_body, make_staff, registered

D = dt.date


@pytest.fixture
def office(db: Any) -> Any:
    body = make_body()
    return body, make_staff(body, "handler")


def _consulting(office: Any, kind: str) -> Any:
    body, handler = office
    case = registered(body, handler, D(2026, 9, 29))  # deadline 2026-11-02 unpaused
    return services.start_consultation(request=case, acting_user=handler, kind=kind,
                                       party="示例市财政局", on=D(2026, 10, 9))


def test_a_co_producer_that_does_not_answer_in_time_is_deemed_to_consent(office: Any) -> None:
    case = _consulting(office, "other_agency")
    assert case.pauses.get().due_on == D(2026, 10, 29)  # the rule's 15 working days
    result = reminders.daily_round(D(2026, 11, 3))
    assert result["consultations"] == 1
    case.refresh_from_db()
    pause = case.pauses.get()
    assert case.state == "accepted"
    assert pause.outcome == ConsultationOutcome.DEEMED_CONSENT
    assert pause.ended_on == D(2026, 10, 29)  # not the late round's day: 10-30 on counts
    # The 15 paused working days move 11-02 on by 15 working days.
    assert case.deadline == D(2026, 11, 23)
    event = case.events.get(action="consult_lapsed")
    assert "视为同意公开" in event.note and event.actor is None


def test_a_third_party_that_does_not_answer_leaves_the_decision_to_the_body(
        office: Any) -> None:
    case = _consulting(office, "third_party")
    services.lapse_consultation(request=case, acting_user=None, on=D(2026, 10, 30))
    case.refresh_from_db()
    assert case.pauses.get().outcome == ConsultationOutcome.NO_REPLY
    assert "由本机关依法决定" in case.events.get(action="consult_lapsed").note
    assert case.deadline == D(2026, 11, 23)


def test_a_consultation_still_within_its_period_does_not_lapse_and_nothing_changes(
        office: Any) -> None:
    case = _consulting(office, "other_agency")
    transitions = AuditRecord.objects.filter(action="disclosure.request.transition")
    events, records = RequestEvent.objects.count(), transitions.count()
    with pytest.raises(services.TransitionRefused, match="尚未届满"):
        services.lapse_consultation(request=case, acting_user=None, on=D(2026, 10, 29))
    assert reminders.daily_round(D(2026, 10, 29))["consultations"] == 0
    case.refresh_from_db()
    assert case.state == "other_agency" and case.pauses.get().ended_on is None
    assert RequestEvent.objects.count() == events
    assert transitions.count() == records


def test_an_answer_records_whether_the_party_agreed(office: Any) -> None:
    _body, handler = office
    case = _consulting(office, "third_party")
    services.end_consultation(request=case, acting_user=handler, on=D(2026, 10, 16),
                              outcome=ConsultationOutcome.OBJECTED)
    assert case.pauses.get().outcome == ConsultationOutcome.OBJECTED
    with pytest.raises(services.TransitionRefused):
        services.lapse_consultation(request=case, acting_user=None, on=D(2026, 11, 3))
