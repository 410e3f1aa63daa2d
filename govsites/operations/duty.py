"""Duty, incidents and drills (梁平 20–21, 梅州 32; RS-20, RS-23): record, close, and count.

Each write is validated and audited once. They feed the annual reports: 是否开展应急演练 in the
website report's 安全防护, and 安全事件 counts in the supervision report.

RS-20: how many drills a year an organisation owes is rule data (`duty.drills_per_year`;
national: no number, 梅州 第32条: 1), read for each running site of which it is the host;
`drill_shortfalls` lists the organisations below it (the 值班与安全 screen shows their own).

RS-23: 24小时值班 and 7×24 读网 (丹东 第30、36条, 南通 第23条, 梁平 第20条) are required where
`duty.round_the_clock` is on for a running site of the organisation (nationally off: no national
rule). Every day then needs a duty shift with 读网 done; `duty_gaps` lists the days without one,
the 值班与安全 screen shows the last week's, and the daily job tells the site administrators
about yesterday's.
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
from govsites.sites.choices import SiteStatus

from . import audit as actions
from .models import DutyShift, EmergencyDrill, SecurityIncident


def record_shift(*, organisation: Any, day: dt.date, officer: Any, acting_user: Any,
                 web_reading_done: bool = False, reading_notes: str = "",
                 handover_notes: str = "") -> DutyShift:
    """Record (or complete) one officer's day of duty with the 读网 result and the handover."""
    if day > timezone.localdate():
        raise ValidationError("不能登记尚未到来的值班。")
    with transaction.atomic():
        shift, _ = DutyShift.objects.update_or_create(
            organisation=organisation, day=day, officer=officer,
            defaults={"web_reading_done": web_reading_done, "reading_notes": reading_notes,
                      "handover_notes": handover_notes})
        audit.record(action=actions.DUTY_RECORD, actor=acting_user, obj=shift,
                     organisation=organisation,
                     details={"day": day, "web_reading_done": web_reading_done})
    return shift


def record_incident(*, site: Any, detected_at: dt.datetime, source: str, severity: str,
                    summary: str, acting_user: Any, response: str = "",
                    uptime_alert: Any = None) -> SecurityIncident:
    """Register a security incident found by the guard, the prober or a person."""
    with transaction.atomic():
        incident = SecurityIncident(site=site, detected_at=detected_at, source=source,
                                    severity=severity, summary=summary.strip(),
                                    response=response.strip(), recorded_by=acting_user,
                                    uptime_alert=uptime_alert)
        incident.full_clean()
        incident.save()
        audit.record(action=actions.INCIDENT_RECORD, actor=acting_user, obj=incident,
                     organisation=site.host_organisation,
                     details={"severity": severity, "source": source,
                              "uptime_alert": getattr(uptime_alert, "pk", None)})
    return incident


def close_incident(*, incident: SecurityIncident, response: str,
                   acting_user: Any) -> SecurityIncident:
    """Close an incident with the account of its handling (处置情况 required)."""
    if incident.closed_at is not None:
        raise ValidationError("该事件已处置完毕。")
    if not response.strip():
        raise ValidationError("请填写处置情况。")
    with transaction.atomic():
        incident.response = response.strip()
        incident.closed_at = timezone.now()
        incident.save(update_fields=["response", "closed_at"])
        audit.record(action=actions.INCIDENT_CLOSE, actor=acting_user, obj=incident,
                     organisation=incident.site.host_organisation, details={})
    return incident


def record_drill(*, organisation: Any, held_on: dt.date, scenario: str, acting_user: Any,
                 participants: int = 0, findings: str = "",
                 improvements: str = "") -> EmergencyDrill:
    """Record an emergency drill (RS-20: at least once a year)."""
    with transaction.atomic():
        drill = EmergencyDrill(organisation=organisation, held_on=held_on, scenario=scenario,
                               participants=participants, findings=findings,
                               improvements=improvements, recorded_by=acting_user)
        drill.full_clean()
        if held_on > timezone.localdate():
            raise ValidationError("不能登记尚未举行的演练。")
        drill.save()
        audit.record(action=actions.DRILL_RECORD, actor=acting_user, obj=drill,
                     organisation=organisation, details={"held_on": held_on})
    return drill


def drills_in_year(organisation: Any, year: int) -> list[EmergencyDrill]:
    return list(EmergencyDrill.objects.filter(organisation=organisation, held_on__year=year))


def drills_required(site: Any) -> int | None:
    """RS-20: drills a year the rules in force for a site ask of its host (None: no number)."""
    required = rule_value("duty.drills_per_year", site=site)
    return int(required) if required else None


@dataclass(frozen=True)
class DrillShortfall:
    """An organisation that has held fewer drills in a year than its sites' rules require."""

    organisation: Any
    year: int
    held: int
    required: int

    @property
    def message(self) -> str:
        return (f"{self.organisation.name}{self.year}年已登记应急演练{self.held}次，"
                f"规定每年至少{self.required}次。")


def drill_shortfalls(year: int, *, organisation: Any = None) -> list[DrillShortfall]:
    """Host organisations of running sites (or one of them) below the yearly drill minimum;
    an organisation hosting sites under different rules owes the highest minimum."""
    from govsites.sites.selectors import all_sites

    sites = all_sites().filter(status__in=(SiteStatus.ONLINE, SiteStatus.TEMP_OFFLINE))
    if organisation is not None:
        sites = sites.filter(host_organisation=organisation)
    owed: dict[int, tuple[Any, int]] = {}
    for site in sites.select_related("host_organisation"):
        required = drills_required(site)
        if required is None:
            continue
        org = site.host_organisation
        if required > owed.get(org.pk, (org, 0))[1]:
            owed[org.pk] = (org, required)
    held = {org_pk: EmergencyDrill.objects.filter(organisation_id=org_pk,
                                                  held_on__year=year).count()
            for org_pk in owed}
    return [DrillShortfall(org, year, held[pk], required)
            for pk, (org, required) in owed.items() if held[pk] < required]


def incidents_in_year(sites: list[Any], year: int) -> list[SecurityIncident]:
    from .annual import year_bounds

    start, end = year_bounds(year)
    return list(SecurityIncident.objects.filter(site__in=sites, detected_at__gte=start,
                                                detected_at__lt=end))


def round_the_clock_required(site: Any) -> bool:
    """RS-23: whether the rules in force for a site require 24-hour duty and daily 读网."""
    return bool(rule_value("duty.round_the_clock", site=site))


@dataclass(frozen=True)
class DutyGap:
    """A day on which an organisation that owes 24-hour duty recorded no shift with 读网 done."""

    organisation: Any
    day: dt.date
    shift_recorded: bool

    @property
    def message(self) -> str:
        what = "值班记录中未完成读网" if self.shift_recorded else "没有值班记录"
        return f"{self.organisation.name}{self.day:%Y-%m-%d}{what}（须24小时值班、7×24小时读网）。"


def _organisations_owing_duty(organisation: Any = None) -> list[Any]:
    from govsites.sites.selectors import all_sites

    sites = all_sites().filter(status__in=(SiteStatus.ONLINE, SiteStatus.TEMP_OFFLINE))
    if organisation is not None:
        sites = sites.filter(host_organisation=organisation)
    owing: dict[int, Any] = {}
    for site in sites.select_related("host_organisation"):
        if site.host_organisation_id not in owing and round_the_clock_required(site):
            owing[site.host_organisation_id] = site.host_organisation
    return list(owing.values())


def duty_gaps(start: dt.date, end: dt.date, *, organisation: Any = None) -> list[DutyGap]:
    """RS-23: each day from start to end (inclusive, not after today) on which an organisation
    owing 24-hour duty has no shift, or only shifts without 读网 done; oldest first."""
    end = min(end, timezone.localdate())
    if end < start:
        return []
    gaps: list[DutyGap] = []
    for org in _organisations_owing_duty(organisation):
        shifts: dict[dt.date, bool] = {}
        for day, done in DutyShift.objects.filter(organisation=org, day__gte=start,
                                                  day__lte=end).values_list("day",
                                                                            "web_reading_done"):
            shifts[day] = shifts.get(day, False) or done
        day = start
        while day <= end:
            if not shifts.get(day, False):
                gaps.append(DutyGap(org, day, day in shifts))
            day += dt.timedelta(days=1)
    return sorted(gaps, key=lambda g: (g.day, g.organisation.name))
