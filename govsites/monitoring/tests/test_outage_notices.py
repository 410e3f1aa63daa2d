"""PA-04 (梅州 第27条（二）): when a site cannot provide its service, the public is told. An outage
the prober saw that lasted longer than the rule's hours, with no 停止服务 notice on the site or
its portal, is a finding of the inspector's platform mode and of the platform's own alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Page

from govsites import testing
from govsites.monitoring import services
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.models import Ticket, UptimeAlert, UptimeProbe
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)
RULE = "site.outage_unannounced"


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _outage(site: Any, *, start: dt.datetime, back: dt.datetime | None) -> None:
    UptimeAlert.objects.create(site=site, at=start, level=0.05, share=0.2, veto=True)
    UptimeProbe.objects.create(site=site, at=start, url=probe_url(site), outcome="failed")
    if back is not None:
        UptimeProbe.objects.create(site=site, at=back, url=probe_url(site), outcome="ok")


def _notice(site: Any, title: str, at: dt.datetime, column_type: str = "通知公告") -> None:
    column = testing.make_column(site.site.root_page, title=column_type, column_type=column_type)
    item = testing.make_article(column, title=title)
    Page.objects.filter(pk=item.pk).update(first_published_at=at, last_published_at=at)


def _found(site: Any, as_of: dt.date) -> list[InspectionFinding]:
    findings = platform_findings(site, base_url=probe_url(site),
                                 rulebook=load_rulebook(site=site), as_of=as_of)
    return [f for f in findings if f.rule_id == RULE]


def test_an_outage_longer_than_the_limit_without_a_notice_is_reported_and_alerted(
        portal: Any) -> None:
    _outage(portal, start=_at(MONDAY, 9), back=_at(MONDAY, 14))
    as_of = MONDAY + dt.timedelta(days=1)
    [finding] = _found(portal, as_of)
    assert finding.extra["recovered"] is True and finding.extra["notice_within_hours"] == 2
    assert "未及时向社会公告" in finding.message and "2026-06-01 09:00" in finding.evidence
    services.raise_platform_alerts(site=portal, as_of=as_of)
    assert Ticket.objects.filter(site=portal, rule_id=RULE).count() == 1


def test_a_short_outage_needs_no_notice(portal: Any) -> None:
    _outage(portal, start=_at(MONDAY, 9), back=_at(MONDAY, 10, 30))
    assert _found(portal, MONDAY + dt.timedelta(days=1)) == []


def test_a_maintenance_notice_in_advance_or_within_the_hours_answers_the_rule(portal: Any) -> None:
    _outage(portal, start=_at(MONDAY, 9), back=_at(MONDAY, 14))
    _notice(portal, "关于网站暂停服务进行系统维护的公告", _at(MONDAY - dt.timedelta(days=2)))
    assert _found(portal, MONDAY + dt.timedelta(days=1)) == []


def test_a_notice_too_late_unrelated_or_in_another_column_type_does_not_count(
        portal: Any) -> None:
    _outage(portal, start=_at(MONDAY, 9), back=None)
    _notice(portal, "关于网站系统维护的公告", _at(MONDAY, 12))  # 3 hours after: too late
    _notice(portal, "关于开展防汛演练的通知", _at(MONDAY, 9, 30))  # names no interruption
    _notice(portal, "网站维护期间暂停服务", _at(MONDAY, 9, 30), column_type="工作动态")
    [finding] = _found(portal, MONDAY + dt.timedelta(days=1))
    assert finding.extra["recovered"] is False and "至今未恢复" in finding.evidence


def test_a_department_site_outage_may_be_announced_on_its_portal(
        portal: Any, department_site: Any) -> None:
    _outage(department_site, start=_at(MONDAY, 9), back=_at(MONDAY, 20))
    as_of = MONDAY + dt.timedelta(days=1)
    assert len(_found(department_site, as_of)) == 1
    _notice(portal, "示例市教育局网站暂停服务的公告", _at(MONDAY, 10))
    assert _found(department_site, as_of) == []


def test_the_notice_hours_are_rule_data_an_administrator_may_change(portal: Any) -> None:
    _outage(portal, start=_at(MONDAY, 9), back=_at(MONDAY, 14))
    rule_services.set_override(key=f"{RULE}.notice_within_hours", value=6, site=None,
                               reason="本市规定6小时内公告", acting_user=None)
    assert _found(portal, MONDAY + dt.timedelta(days=1)) == []
