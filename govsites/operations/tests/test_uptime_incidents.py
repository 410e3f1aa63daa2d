"""Availability alerts that last beyond the rule's minutes become 可用性探测 security incidents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govsites.monitoring.models import UptimeAlert, UptimeProbe
from govsites.operations.duty import close_incident
from govsites.operations.models import SecurityIncident
from govsites.operations.uptime_incidents import open_incidents_from_alerts

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def alert(site, minutes_ago: int, *, veto: bool = False) -> UptimeAlert:
    return UptimeAlert.objects.create(site=site, at=NOW - dt.timedelta(minutes=minutes_ago),
                                      level=0.05 if veto else 0.01,
                                      share=0.06 if veto else 0.012, veto=veto)


def probe(site, minutes_ago: int, outcome: str) -> None:
    UptimeProbe.objects.create(site=site, at=NOW - dt.timedelta(minutes=minutes_ago),
                               url="https://www.shili.gov.cn/", outcome=outcome)


def test_an_alert_whose_site_stays_down_past_the_rule_becomes_one_incident(portal):
    raised = alert(portal, 90, veto=True)
    probe(portal, 30, "error")
    [incident] = open_incidents_from_alerts(now=NOW)
    assert (incident.site, incident.source, incident.severity) == (portal, "prober", "larger")
    assert incident.uptime_alert == raised and incident.detected_at == raised.at
    assert "持续无法访问约90分钟" in incident.summary and "单项否决" in incident.summary
    assert open_incidents_from_alerts(now=NOW + dt.timedelta(minutes=15)) == []
    assert SecurityIncident.objects.count() == 1


def test_a_short_outage_or_a_recent_alert_opens_no_incident(portal, department_site):
    alert(portal, 180)
    probe(portal, 170, "ok")  # back after 10 minutes
    alert(department_site, 30)  # down for 30 minutes so far (rule: 60)
    assert open_incidents_from_alerts(now=NOW) == []
    [incident] = open_incidents_from_alerts(now=NOW + dt.timedelta(minutes=31))
    assert (incident.site, incident.severity) == (department_site, "general")


def test_further_alerts_of_the_same_outage_open_no_second_incident_until_it_is_closed(portal):
    alert(portal, 200)
    [first] = open_incidents_from_alerts(now=NOW)
    alert(portal, 100, veto=True)  # the share kept rising: same outage
    assert open_incidents_from_alerts(now=NOW) == []
    close_incident(incident=first, response="已切换备用线路", acting_user=None)
    assert len(open_incidents_from_alerts(now=NOW)) == 1


def test_an_empty_rule_value_turns_the_automatic_incidents_off(portal, monkeypatch):
    from govsites.operations import uptime_incidents

    monkeypatch.setattr(uptime_incidents, "rule_value", lambda key, site=None: None)
    alert(portal, 300)
    assert open_incidents_from_alerts(now=NOW) == []
