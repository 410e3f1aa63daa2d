"""Security incidents opened from availability alerts that last (RS-23 duty; PA-03 alerts).

The prober raises an availability alert (`monitoring.UptimeAlert`) when a site's rolling failure
share crosses an alert line. An alert whose site is still failing `incidents.
from_uptime_alert_minutes` minutes after it (rule data, per site; empty: never) becomes a
安全事件 with the source 可用性探测, so an outage is handled and counted like an incident a person
enters. The outage is measured from the alert to the first successful probe after it (or now);
one incident per outage: an alert of a site that already has an open 可用性探测 incident opens
none. Severity: 较大 when the alert reached the veto line (单项否决), else 一般.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govsites.rules.resolve import value as rule_value

from . import selectors
from .duty import record_incident
from .models import IncidentSeverity, IncidentSource, SecurityIncident

THRESHOLD_RULE = "incidents.from_uptime_alert_minutes"
LOOKBACK = dt.timedelta(days=7)  # alerts older than this were handled (or will never be)


def threshold_minutes(site: Any) -> int | None:
    """The rule's minutes for a site (None: alerts never open incidents there)."""
    minutes = rule_value(THRESHOLD_RULE, site=site)
    return int(minutes) if minutes else None


def outage_minutes(alert: Any, *, now: dt.datetime) -> float:
    """How long the site failed after the alert: until its first successful probe, or now."""
    back = selectors.first_success_after(alert.site, alert.at)
    end = back if back is not None and back < now else now
    return max((end - alert.at).total_seconds() / 60, 0.0)


def _summary(alert: Any, minutes: float) -> str:
    at = timezone.localtime(alert.at)
    return (f"可用性探测：{alert.site.name}自 {at:%Y-%m-%d %H:%M} 告警起持续无法访问约"
            f"{int(minutes)}分钟（统计窗口内访问失败比例 {alert.share:.1%}，"
            f"告警线 {alert.level:.0%}{'，已达单项否决线' if alert.veto else ''}）")


def open_incidents_from_alerts(*, now: dt.datetime | None = None) -> list[SecurityIncident]:
    """Record an incident for each recent alert whose outage has lasted beyond the rule."""
    now = now or timezone.now()
    opened: list[SecurityIncident] = []
    for alert in selectors.uptime_alerts_without_incident(since=now - LOOKBACK):
        limit = threshold_minutes(alert.site)
        if limit is None:
            continue
        minutes = outage_minutes(alert, now=now)
        if minutes < limit:
            continue
        if selectors.has_open_incident(alert.site, source=IncidentSource.PROBER):
            continue  # the same outage is already an incident
        opened.append(record_incident(
            site=alert.site, detected_at=alert.at, source=IncidentSource.PROBER,
            severity=IncidentSeverity.LARGER if alert.veto else IncidentSeverity.GENERAL,
            summary=_summary(alert, minutes), acting_user=None, uptime_alert=alert))
    return opened
