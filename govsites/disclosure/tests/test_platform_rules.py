"""DS-12, DS-13, DS-14, DS-19: a 公开主体's site runs one 政府信息公开平台 under the unified
name, with a column for every category of 条例第20条 (and 第21条 for its level), and no
disclosure column outside it. Judged from the site's columns by the platform checks, so the
inspector's platform mode and the platform's own alerts report the same findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites import testing
from govsites.monitoring import services as monitoring_services
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.inspector import InspectionResult
from govsites.monitoring.models import Ticket
from govsites.monitoring.platform import apply_platform_mode
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.monitoring.scoring import score
from govsites.rules import services as rule_services

from .factories import make_body

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)

#: a column per checkable category of 条例第20条 (title, column type)
ARTICLE_20 = [("政策文件", "政策文件"), ("机构职能", "机构职能"), ("发展规划", "通知公告"),
              ("统计信息", "数据发布"), ("行政许可", "通知公告"), ("行政处罚和行政强制", "通知公告"),
              ("财政预决算", "通知公告"), ("行政事业性收费", "通知公告"), ("政府采购", "通知公告"),
              ("重大建设项目", "通知公告"), ("教育医疗社会保障就业", "通知公告"),
              ("应急管理", "通知公告"), ("环境保护和安全生产监督检查", "通知公告"),
              ("公务员招考", "通知公告")]
CITY_COUNTY = ["市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"]
TOWNSHIP = ["农业农村政策", "农田水利", "土地承包经营权流转", "宅基地审核", "土地征收", "房屋征收",
            "筹资筹劳", "社会救助"]


def _found(site: Any, rule_id: str) -> list[InspectionFinding]:
    findings = platform_findings(site, base_url=probe_url(site),
                                 rulebook=load_rulebook(site=site), as_of=DAY)
    return [f for f in findings if f.rule_id == rule_id]


def _missing(site: Any) -> set[tuple[str, str]]:
    return {(f.extra["level"], f.extra["category"])
            for f in _found(site, "disclosure.category_missing")}


def _platform(site: Any, title: str = "政府信息公开", owner: Any = None,
              parent: Any = None) -> Any:
    return testing.make_column(parent or site.site.root_page, title=title,
                               column_type="信息公开目录", owner=owner)


def _columns(parent: Any, titles: list[str], column_type: str = "通知公告") -> None:
    for title in titles:
        testing.make_column(parent, title=title, column_type=column_type)


def _full(parent: Any, extra: list[str]) -> None:
    for title, column_type in ARTICLE_20:
        testing.make_column(parent, title=title, column_type=column_type)
    _columns(parent, extra)


def test_a_platform_without_a_column_for_a_category_of_article_20_is_reported(
        portal: Any) -> None:
    make_body(portal.host_organisation)
    platform = _platform(portal)
    testing.make_column(platform, title="政策文件", column_type="政策文件")
    testing.make_column(platform, title="机构概况", column_type="机构职能")
    missing = _found(portal, "disclosure.category_missing")
    titles = {f.extra["category"] for f in missing if f.extra["article"] == "第20条"}
    assert len(titles) == 12  # 14 that name a column, less the two present
    assert "行政法规、规章和规范性文件" not in titles
    assert "财政预算、决算" in titles
    assert "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息" not in titles
    budget = next(f for f in missing if f.extra["category"] == "财政预算、决算")
    assert budget.url == probe_url(portal).rstrip("/") + "/" + platform.slug + "/"
    assert "条例第20条（七）" in budget.message
    assert budget.evidence == "政府信息公开（示例市人民政府）没有“财政预算、决算”栏目（条例第20条（七））"
    # the city's portal also owes the categories of 第21条
    assert {f.extra["category"] for f in missing if f.extra["article"] == "第21条"} == {
        "市政建设", "公共服务", "公益事业", "土地征收", "房屋征收", "治安管理", "社会救助"}
    testing.make_column(platform, title="财政预决算", column_type="通知公告")
    assert ("portal", "财政预算、决算") not in _missing(portal)
    # a column outside the platform does not count
    testing.make_column(portal.site.root_page, title="政府采购", column_type="通知公告")
    assert ("portal", "政府集中采购项目的目录、标准及实施情况") in _missing(portal)


def test_a_platform_with_every_category_is_not_reported_and_the_inspector_and_alerts_agree(
        portal: Any) -> None:
    make_body(portal.host_organisation)
    platform = _platform(portal)
    _full(platform, CITY_COUNTY[:-1])
    assert _missing(portal) == {("portal", "社会救助")}
    now = timezone.now()
    empty = InspectionResult(target=probe_url(portal), as_of=DAY, started_at=now,
                             finished_at=now, elapsed_seconds=0.0, pages_crawled=0,
                             links_checked=0, findings=[],
                             verdict=score([], load_rulebook(site=portal)), not_checked=[],
                             rulebook_name="")
    judged = apply_platform_mode(empty, portal, rulebook=load_rulebook(site=portal))
    inspected = {(f.rule_id, f.url, f.evidence) for f in judged.findings
                 if f.rule_id.startswith("disclosure.")}
    monitoring_services.raise_platform_alerts(site=portal, as_of=DAY)
    alerted = set(Ticket.objects.filter(site=portal, rule_id__startswith="disclosure.")
                  .values_list("rule_id", "url", "evidence"))
    assert inspected == alerted and len(inspected) == 1
    ticket = Ticket.objects.get(site=portal, rule_id="disclosure.category_missing")
    assert monitoring_services.run_recheck(ticket, as_of=DAY)[0] is False
    _columns(platform, ["社会救助"])
    assert monitoring_services.run_recheck(ticket, as_of=DAY)[0] is True  # the 整改单 can close
    assert _found(portal, "disclosure.category_missing") == []
    assert _found(portal, "disclosure.platform") == []


def test_a_site_whose_host_is_no_disclosure_body_is_not_judged(portal: Any) -> None:
    _platform(portal, title="政务公开")
    testing.make_column(portal.site.root_page, title="信息公开专栏", column_type="专题专栏")
    assert _found(portal, "disclosure.category_missing") == []
    assert _found(portal, "disclosure.platform") == []


def test_county_and_township_platforms_also_need_the_categories_of_article_21_by_level(
        portal: Any) -> None:
    county_org = testing.make_organisation("示例县人民政府", parent=portal.host_organisation)
    county = testing.make_site(name="示例县人民政府", kind="county", organisation=county_org,
                               domain="www.shixian.gov.cn", hostname="shixian.localhost",
                               is_default=False)
    town = testing.make_organisation("示例县城关镇人民政府", kind="township", parent=county_org)
    make_body(county_org)
    make_body(town)
    platform = _platform(county)
    _full(platform, CITY_COUNTY[:-1])  # 社会救助 only in the township's platform
    township = _platform(county, title="城关镇", owner=town, parent=platform)
    _full(township, ["农业农村政策", "农田水利"])
    missing = _missing(county)
    assert ("county", "社会救助") in missing
    assert {name for level, name in missing if level == "county"} == {"社会救助"}
    assert {name for level, name in missing if level == "township"} == {
        "农村土地承包经营权流转", "宅基地使用情况审核", "土地征收", "房屋征收", "筹资筹劳",
        "社会救助"}
    _columns(township, ["土地承包经营权流转", "宅基地审核", "土地征收", "房屋征收",
                        "筹资筹劳一事一议", "社会救助"])
    assert _missing(county) == {("county", "社会救助")}
    # a city without districts drops 第21条 for its county-level sites (rule data)
    rule_services.set_override(
        key="disclosure.category_missing.article21_levels",
        value={"portal": [], "county": [], "department": [], "special": [],
               "township": ["township"]},
        site=None, reason="不设区的市", acting_user=None)
    assert _missing(county) == set()
    # the township's platform has no 公开平台 name of its own to keep: only the site's is judged
    assert _found(county, "disclosure.platform") == []


def test_a_second_disclosure_section_outside_the_platform_is_reported(portal: Any) -> None:
    make_body(portal.host_organisation)
    platform = _platform(portal)
    testing.make_column(platform, title="政府信息公开指南", column_type="信息公开指南")
    testing.make_column(platform, title="法定主动公开内容", column_type="信息公开目录")
    assert _found(portal, "disclosure.platform") == []
    second = _platform(portal, title="信息公开目录")
    special = testing.make_column(portal.site.root_page, title="政务公开专栏",
                                  column_type="专题专栏")
    testing.make_column(special, title="政务公开动态", column_type="工作动态")
    found = _found(portal, "disclosure.platform")
    assert {f.extra["column"] for f in found} == {second.pk, special.pk}
    assert all(f.extra["problem"] == "separate" for f in found)
    assert "另设公开栏目" in found[0].message
    annual = next(f for f in found if f.extra["column"] == special.pk)
    assert annual.evidence == "“政务公开专栏”不在政府信息公开平台内：栏目名称含“政务公开”"


def test_a_platform_under_another_name_is_reported_and_a_site_without_one_too(
        portal: Any, department_site: Any) -> None:
    make_body(portal.host_organisation)
    make_body(department_site.host_organisation)
    _platform(portal, title="政务公开")
    [named] = _found(portal, "disclosure.platform")
    assert named.extra == {"problem": "name", "column": named.extra["column"],
                           "title": "政务公开"}
    assert named.message == "政府信息公开平台名称不统一（应为“政府信息公开”）"
    [missing] = _found(department_site, "disclosure.platform")
    assert missing.extra == {"problem": "missing"}
    assert _found(department_site, "disclosure.category_missing") == []
    rule_services.set_override(key="disclosure.platform.names", value=["政府信息公开", "政务公开"],
                               site=None, reason="本省沿用“政务公开”", acting_user=None)
    assert _found(portal, "disclosure.platform") == []
