"""Rules judged from the platform's records (CC-10–12 解读 timing, CC-23 per-unit dynamic items,
CC-22/24 unmaintained columns), per variant; the inspector's platform mode and the platform's
own alerts (整改单 from the daily job) report the same findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Page

from govsites import testing
from govsites.monitoring import services
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.inspector import InspectionResult
from govsites.monitoring.models import Ticket
from govsites.monitoring.platform import apply_platform_mode
from govsites.monitoring.platform_rules import platform_findings, platform_rule_ids
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.monitoring.scoring import score
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)  # 2026-06-01 is a Monday; no holiday until 端午 (06-19)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _published_on(item: Any, day: dt.date) -> None:
    Page.objects.filter(pk=item.pk).update(first_published_at=_at(day),
                                           last_published_at=_at(day))


def _interpret(portal: Any, policy: Any, title: str) -> None:
    """Publish a 政策解读 of the policy (its model is the policy's reverse relation's)."""
    column = testing.make_column(portal.site.root_page, title="政策解读", column_type="政策解读")
    interpretation = policy.interpretation_pages.model(title=title, slug="jiedu", policy=policy,
                                                       body="<p>解读正文</p>", live=False)
    column.add_child(instance=interpretation)
    interpretation.save_revision().publish()


def _choose(variant: str) -> None:
    rule_services.choose_variant(variant=variant, reason="本市施行该管理办法", site=None,
                                 acting_user=None)


def _found(portal: Any, as_of: dt.date, rule_id: str) -> list[InspectionFinding]:
    findings = platform_findings(portal, base_url=probe_url(portal),
                                 rulebook=load_rulebook(site=portal), as_of=as_of)
    return [f for f in findings if f.rule_id == rule_id]


def _inspection_and_alerts(portal: Any, as_of: dt.date,
                           rule_id: str = "") -> tuple[set[Any], set[Any]]:
    """The platform-rule findings of an inspection in platform mode, and the tickets the
    platform's own daily job opens, as (rule, address, evidence)."""
    now = timezone.now()
    empty = InspectionResult(target=probe_url(portal), as_of=as_of, started_at=now,
                             finished_at=now, elapsed_seconds=0.0, pages_crawled=0,
                             links_checked=0, findings=[],
                             verdict=score([], load_rulebook(site=portal)), not_checked=[],
                             rulebook_name="")
    judged = apply_platform_mode(empty, portal, rulebook=load_rulebook(site=portal))
    inspected = {(f.rule_id, f.url, f.evidence) for f in judged.findings
                 if f.rule_id in platform_rule_ids()}
    services.raise_platform_alerts(site=portal, as_of=as_of)
    alerted = set(Ticket.objects.filter(site=portal).values_list("rule_id", "url", "evidence"))
    if rule_id:
        inspected = {row for row in inspected if row[0] == rule_id}
        alerted = {row for row in alerted if row[0] == rule_id}
    return inspected, alerted


@pytest.fixture
def normative(portal: Any) -> Any:
    column = testing.make_column(portal.site.root_page, title="政策文件", column_type="政策文件")
    policy = testing.make_policy(column, title="示例市行政规范性文件管理办法", normative=True)
    _published_on(policy, MONDAY)
    return policy


# --- CC-10, CC-11, CC-12 ------------------------------------------------------------------------
def test_a_normative_document_without_interpretation_is_flagged_the_day_after_nationally(
        portal: Any, normative: Any) -> None:
    assert _found(portal, MONDAY, "interpretation.missing") == []  # 同步: due the same day
    [finding] = _found(portal, MONDAY + dt.timedelta(days=1), "interpretation.missing")
    assert finding.source == "database" and not finding.veto
    assert "示例市行政规范性文件管理办法" in finding.evidence and "同步发布" in finding.message
    inspected, alerted = _inspection_and_alerts(portal, MONDAY + dt.timedelta(days=1))
    assert ("interpretation.missing", finding.url, finding.evidence) in inspected
    assert inspected == alerted


@pytest.mark.parametrize("variant", ["meizhou-2021", "nantong-2019"])
def test_meizhou_and_nantong_allow_three_working_days_for_the_interpretation(
        portal: Any, normative: Any, variant: str) -> None:
    thursday, friday = MONDAY + dt.timedelta(days=3), MONDAY + dt.timedelta(days=4)
    assert _found(portal, thursday, "interpretation.missing")  # national: 同步
    _choose(variant)
    assert _found(portal, thursday, "interpretation.missing") == []
    [finding] = _found(portal, friday, "interpretation.missing")
    assert finding.extra["due"] == thursday.isoformat() and "3 个工作日" in finding.message
    inspected, alerted = _inspection_and_alerts(portal, thursday, "interpretation.missing")
    assert inspected == alerted == set()
    inspected, alerted = _inspection_and_alerts(portal, friday, "interpretation.missing")
    assert inspected == alerted and len(inspected) == 1


def test_an_interpretation_or_a_document_that_is_not_normative_raises_nothing(
        portal: Any, normative: Any) -> None:
    later = MONDAY + dt.timedelta(days=10)
    column = normative.get_parent()
    ordinary = testing.make_policy(column, title="关于做好防汛工作的通知")
    _published_on(ordinary, MONDAY)
    assert len(_found(portal, later, "interpretation.missing")) == 1
    _interpret(portal, normative, "一图读懂管理办法")
    assert _found(portal, later, "interpretation.missing") == []


# --- CC-23 --------------------------------------------------------------------------------------
def test_meizhou_counts_each_units_dynamic_items_per_week_and_month(portal: Any) -> None:
    home = portal.site.root_page
    busy = testing.make_organisation("示例市发展改革局", kind="department",
                                     parent=portal.host_organisation)
    idle = testing.make_organisation("示例市统计局", kind="department",
                                     parent=portal.host_organisation)
    busy_news = testing.make_column(home, title="发改动态", column_type="工作动态", owner=busy)
    testing.make_column(home, title="统计动态", column_type="工作动态", owner=idle)
    as_of = dt.date(2026, 7, 8)  # a Wednesday: last full week 06-29..07-05, last month June
    for day in (dt.date(2026, 6, 2), dt.date(2026, 6, 9), dt.date(2026, 6, 16),
                dt.date(2026, 6, 30)):
        _published_on(testing.make_article(busy_news, title=f"发改动态{day}"), day)
    assert _found(portal, as_of, "dynamic.per_unit") == []  # national: no per-unit counts

    _choose("meizhou-2021")
    found = _found(portal, as_of, "dynamic.per_unit")
    assert {(f.extra["organisation_id"], f.extra["period"]) for f in found} == {
        (idle.pk, "周"), (idle.pk, "月")}
    assert all("示例市统计局" in f.evidence and "0 条" in f.evidence for f in found)
    inspected, alerted = _inspection_and_alerts(portal, as_of, "dynamic.per_unit")
    assert inspected == alerted and len(inspected) == 2


# --- CC-22, CC-24 -------------------------------------------------------------------------------
def test_meizhou_asks_to_merge_a_dynamic_column_silent_for_a_month(portal: Any) -> None:
    news = testing.make_column(portal.site.root_page, title="工作动态", column_type="工作动态")
    _published_on(testing.make_article(news, title="旧动态"), MONDAY)
    as_of = MONDAY + dt.timedelta(days=40)
    assert _found(portal, as_of, "column.unmaintained") == []
    _choose("meizhou-2021")
    [finding] = _found(portal, as_of, "column.unmaintained")
    assert finding.extra["months"] == 1 and "归并或关闭" in finding.message
    inspected, alerted = _inspection_and_alerts(portal, as_of, "column.unmaintained")
    assert ("column.unmaintained", finding.url, finding.evidence) in inspected
    assert inspected == alerted


def test_any_column_silent_for_a_year_is_reported_for_merging_or_closing(portal: Any) -> None:
    guide = testing.make_column(portal.site.root_page, title="概况信息", column_type="概况信息")
    _published_on(testing.make_article(guide, title="市情简介"), dt.date(2025, 5, 1))
    assert _found(portal, dt.date(2026, 4, 30), "column.unmaintained") == []
    [finding] = _found(portal, dt.date(2026, 5, 2), "column.unmaintained")
    assert finding.extra["months"] == 12


def test_a_platform_alert_closes_on_recheck_once_the_records_are_right(
        portal: Any, normative: Any) -> None:
    friday = MONDAY + dt.timedelta(days=4)
    [ticket] = services.raise_platform_alerts(site=portal, as_of=friday)
    assert services.raise_platform_alerts(site=portal, as_of=friday) == []  # not twice
    passed, _note = services.run_recheck(ticket, as_of=friday)
    assert not passed
    _interpret(portal, normative, "政策解读")
    passed, note = services.run_recheck(ticket, as_of=friday)
    assert passed and "未发现" in note


# --- ID-01, ID-02, ID-30 ------------------------------------------------------------------------
def test_the_inspector_and_the_platform_report_a_registration_the_variant_forbids(
        portal: Any) -> None:
    office = testing.make_organisation("示例市人民政府办公室", kind="department",
                                       parent=portal.host_organisation)
    special = testing.make_site(name="示例市营商环境专题网站", kind="special", organisation=office,
                                domain="yshj.shili.gov.cn", hostname="yshj.localhost",
                                portal=portal, is_default=False)
    assert _found(special, MONDAY, "site.registry") == []
    _choose("dandong-2019")  # 不单独开设专项网站; servers 境内 (neither site has a region on file)
    found = _found(special, MONDAY, "site.registry")
    assert [f.extra["checklist"] for f in found] == ["ID-02", "ID-30"]
    assert "不单独开设专项网站" in found[0].evidence
    assert [f.extra["checklist"] for f in _found(portal, MONDAY, "site.registry")] == ["ID-30"]
    inspected, alerted = _inspection_and_alerts(special, MONDAY)
    assert inspected == alerted and len(inspected) == 2


# --- PA-02, PA-04 -------------------------------------------------------------------------------
def test_days_probed_fewer_times_than_the_minimum_are_reported(portal: Any) -> None:
    from govsites.monitoring.models import UptimeProbe

    def probes(day: dt.date, count: int) -> None:
        for hour in range(count):
            UptimeProbe.objects.create(site=portal, at=_at(day, hour), url=probe_url(portal),
                                       outcome="ok")

    probes(MONDAY, 24)
    probes(MONDAY + dt.timedelta(days=1), 5)
    probes(MONDAY + dt.timedelta(days=2), 20)
    as_of = MONDAY + dt.timedelta(days=3)
    [short] = _found(portal, as_of, "probe.count")  # days before the first probe do not count
    assert short.extra == {"day": "2026-06-02", "probes": 5, "minimum": 20}
    assert "少于每天 20 次" in short.evidence
