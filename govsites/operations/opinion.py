"""政务舆情 (IA-11): register public-opinion events and keep their clocks.

《政府网站发展指引》“解读回应”: for a 重大突发事件 a press conference within
`opinion.press_conference_hours` hours (24) and, for every event, a response within
`opinion.response_hours` hours (48), both counted from when the event was found. The hours are
rule data per site (a variant or an administrator's override changes them). Late clocks raise
one alert each (audited, sent to the organisation's site administrators and supervisors by the
hourly job `operations.opinion`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value

from . import audit as actions
from .models import OpinionEvent

PRESS_CONFERENCE = "press_conference"
RESPONSE = "response"
CLOCK_NAMES = {PRESS_CONFERENCE: "新闻发布会", RESPONSE: "回应"}


@dataclass(frozen=True)
class Clock:
    """One deadline of an event: what is due, by when, when it was done (None: not yet)."""

    name: str
    hours: int
    due: dt.datetime
    done_at: dt.datetime | None

    @property
    def title(self) -> str:
        return CLOCK_NAMES[self.name]

    def late(self, now: dt.datetime) -> bool:
        """Done after the deadline, or not done and the deadline has passed."""
        return (self.done_at or now) > self.due


def clocks(event: OpinionEvent) -> list[Clock]:
    """The event's deadlines under the rules in force for its site."""
    result = []
    if event.major_emergency:
        hours = int(rule_value("opinion.press_conference_hours", site=event.site))
        result.append(Clock(PRESS_CONFERENCE, hours,
                            event.detected_at + dt.timedelta(hours=hours),
                            event.press_conference_at))
    hours = int(rule_value("opinion.response_hours", site=event.site))
    result.append(Clock(RESPONSE, hours, event.detected_at + dt.timedelta(hours=hours),
                        event.responded_at))
    return result


def _not_in_future(moment: dt.datetime, label: str) -> None:
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(f"{label}不能晚于当前时间。")


def record_event(*, site: Any, title: str, detected_at: dt.datetime, major_emergency: bool,
                 acting_user: Any, summary: str = "") -> OpinionEvent:
    """Register a 政务舆情 event of a site's host organisation; its clocks start at `detected_at`."""
    if not title.strip():
        raise ValidationError("请填写舆情事项。")
    _not_in_future(detected_at, "发现时间")
    with transaction.atomic():
        event = OpinionEvent(organisation=site.host_organisation, site=site,
                             title=title.strip(), detected_at=detected_at,
                             major_emergency=major_emergency, summary=summary.strip(),
                             recorded_by=acting_user)
        event.full_clean()
        event.save()
        audit.record(action=actions.OPINION_RECORD, actor=acting_user, obj=event,
                     organisation=event.organisation,
                     details={"major_emergency": major_emergency,
                              "detected_at": detected_at.isoformat()})
    return event


def record_press_conference(*, event: OpinionEvent, held_at: dt.datetime,
                            acting_user: Any) -> OpinionEvent:
    """Record when the press conference of a 重大突发事件 was held."""
    if not event.major_emergency:
        raise ValidationError("只有重大突发事件需要登记新闻发布会。")
    if event.press_conference_at is not None:
        raise ValidationError("该事件已登记新闻发布会。")
    _not_in_future(held_at, "新闻发布会时间")
    if held_at < event.detected_at:
        raise ValidationError("新闻发布会时间不能早于发现时间。")
    with transaction.atomic():
        event.press_conference_at = held_at
        event.save(update_fields=["press_conference_at"])
        audit.record(action=actions.OPINION_CONFERENCE, actor=acting_user, obj=event,
                     organisation=event.organisation, details={"held_at": held_at.isoformat()})
    return event


def record_response(*, event: OpinionEvent, responded_at: dt.datetime, response: str,
                    acting_user: Any, response_url: str = "") -> OpinionEvent:
    """Record the public response (回应) to an event."""
    if event.responded_at is not None:
        raise ValidationError("该事件已登记回应。")
    if not response.strip():
        raise ValidationError("请填写回应内容。")
    _not_in_future(responded_at, "回应时间")
    if responded_at < event.detected_at:
        raise ValidationError("回应时间不能早于发现时间。")
    with transaction.atomic():
        event.responded_at = responded_at
        event.response = response.strip()
        event.response_url = response_url.strip()
        event.full_clean()
        event.save(update_fields=["responded_at", "response", "response_url"])
        audit.record(action=actions.OPINION_RESPOND, actor=acting_user, obj=event,
                     organisation=event.organisation,
                     details={"responded_at": responded_at.isoformat(),
                              "late": [c.name for c in clocks(event)
                                       if c.name == RESPONSE and c.late(responded_at)]})
    return event


@dataclass(frozen=True)
class LateClock:
    """An alert raised for one late clock of an event."""

    event: OpinionEvent
    clock: Clock


def alert_late_events(*, now: dt.datetime | None = None) -> list[LateClock]:
    """Raise one alert per event and clock that is late and still open (audited once)."""
    now = now or timezone.now()
    raised: list[LateClock] = []
    open_events = OpinionEvent.objects.filter(responded_at__isnull=True) | OpinionEvent.objects.filter(
        major_emergency=True, press_conference_at__isnull=True)
    for event in open_events.select_related("site", "organisation").distinct():
        for clock in clocks(event):
            if clock.done_at is not None or not clock.late(now):
                continue
            if clock.name in event.overdue_alerted:
                continue
            with transaction.atomic():
                event.overdue_alerted = [*event.overdue_alerted, clock.name]
                event.save(update_fields=["overdue_alerted"])
                audit.record(action=actions.OPINION_OVERDUE, actor=None, obj=event,
                             organisation=event.organisation,
                             details={"clock": clock.name, "hours": clock.hours,
                                      "due": clock.due.isoformat()})
            raised.append(LateClock(event, clock))
    return raised
