"""IA-11 政务舆情: events are registered with a press-conference clock (重大突发事件) and a
response clock, both rule data per site; late clocks raise one audited alert each, sent to the
organisation; the admin page is in Chinese; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.operations import opinion
from govsites.operations.models import OpinionEvent
from govsites.operations.tasks import opinion_round
from govsites.rules import services as rule_services

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/operations/opinion/"


def _event(site, *, hours_ago: float, major: bool = True) -> OpinionEvent:
    return opinion.record_event(site=site, title="某小区燃气爆炸事故网络舆情",
                                detected_at=timezone.now() - dt.timedelta(hours=hours_ago),
                                major_emergency=major, acting_user=None)


def test_a_major_emergency_has_a_24_hour_conference_and_a_48_hour_response_clock(portal):
    event = _event(portal, hours_ago=1)
    [conference, response] = opinion.clocks(event)
    assert (conference.title, conference.hours) == ("新闻发布会", 24)
    assert (response.title, response.hours) == ("回应", 48)
    assert response.due == event.detected_at + dt.timedelta(hours=48)
    assert [c.name for c in opinion.clocks(_event(portal, hours_ago=1, major=False))] == ["response"]
    assert AuditRecord.objects.filter(action="operations.opinion.record").count() == 2


def test_late_clocks_raise_one_audited_alert_each_and_done_clocks_none(portal):
    late = _event(portal, hours_ago=30)  # conference late, response not yet
    on_time = _event(portal, hours_ago=30)
    opinion.record_press_conference(event=on_time, acting_user=None,
                                    held_at=on_time.detected_at + dt.timedelta(hours=20))
    raised = opinion.alert_late_events()
    assert [(r.event.pk, r.clock.name) for r in raised] == [(late.pk, "press_conference")]
    assert opinion.alert_late_events() == []  # once per clock
    later = timezone.now() + dt.timedelta(hours=20)  # 50 hours: both responses are late
    assert sorted(r.event.pk for r in opinion.alert_late_events(now=later)) == sorted(
        [late.pk, on_time.pk])
    assert AuditRecord.objects.filter(action="operations.opinion.overdue").count() == 3


def test_the_hourly_job_notifies_the_organisations_site_administrators(portal):
    make_user(portal.host_organisation, Role.SITE_ADMIN)  # the one to be notified
    _event(portal, hours_ago=50, major=False)
    assert opinion_round.call() == {"late": 1, "notified": 1}
    assert opinion_round.call() == {"late": 0, "notified": 0}


def test_a_response_after_the_deadline_is_marked_late(portal):
    event = _event(portal, hours_ago=60, major=False)
    opinion.record_response(event=event, responded_at=timezone.now(), response="已发布情况通报",
                            acting_user=None)
    [response] = opinion.clocks(event)
    assert response.late(timezone.now())
    record = AuditRecord.objects.get(action="operations.opinion.respond")
    assert record.details["late"] == ["response"]


def test_the_hours_follow_the_rules_in_force_for_the_site(portal):
    rule_services.set_override(key="opinion.response_hours", value=24, site=None,
                               reason="本市要求24小时内回应", acting_user=None)
    event = _event(portal, hours_ago=30, major=False)
    [response] = opinion.clocks(event)
    assert response.hours == 24 and response.late(timezone.now())


def test_bad_input_is_refused_in_chinese_and_changes_nothing(portal):
    with pytest.raises(ValidationError, match="发现时间不能晚于当前时间"):
        opinion.record_event(site=portal, title="舆情", acting_user=None, major_emergency=False,
                             detected_at=timezone.now() + dt.timedelta(days=1))
    event = _event(portal, hours_ago=2, major=False)
    with pytest.raises(ValidationError, match="只有重大突发事件"):
        opinion.record_press_conference(event=event, held_at=timezone.now(), acting_user=None)
    with pytest.raises(ValidationError, match="请填写回应内容"):
        opinion.record_response(event=event, responded_at=timezone.now(), response=" ",
                                acting_user=None)
    event.refresh_from_db()
    assert event.responded_at is None and event.press_conference_at is None
    assert OpinionEvent.objects.count() == 1


def test_the_admin_page_registers_an_event_and_its_response(portal):
    officer = make_user(portal.host_organisation, Role.SITE_ADMIN)
    client = client_for(officer)
    detected = timezone.localtime() - dt.timedelta(hours=3)
    client.post(URL, {"form": "event", "site": portal.pk, "title": "网传某校食品安全问题",
                      "detected_at": f"{detected:%Y-%m-%dT%H:%M}", "major_emergency": "on"})
    event = OpinionEvent.objects.get()
    assert event.major_emergency and event.recorded_by == officer
    page = client.get(URL).content.decode()
    assert "网传某校食品安全问题" in page and "新闻发布会：24 小时内" in page
    client.post(URL, {"form": "response", "event": event.pk,
                      "at": f"{timezone.localtime():%Y-%m-%dT%H:%M}", "response": "已发布情况说明"})
    event.refresh_from_db()
    assert event.response == "已发布情况说明"
    refused = client.post(URL, {"form": "response", "event": event.pk, "response": "另一回应",
                                "at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"}).content.decode()
    assert "该事件已登记回应" in refused
    event.refresh_from_db()
    assert event.response == "已发布情况说明"
