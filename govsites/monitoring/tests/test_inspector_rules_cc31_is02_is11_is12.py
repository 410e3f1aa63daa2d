"""Rules of issue 17 the inspector now checks: CC-31 page load ≤ 3 s, IS-02 navigation-only
home pages, IS-11 the 加分 gate above 80 points, IS-12 服务不实用 (no 办事服务 at all)."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.platform import judge_services_by_site_kind
from govsites.monitoring.reports import render_inspection_html
from govsites.monitoring.rulebook import load_rulebook
from govsites.monitoring.scoring import score

from .fakes import FakeHttpClient, FakeResponse

BASE = "http://127.0.0.1:9"
AS_OF = dt.date(2026, 6, 30)
SERVICE_NAV = "<nav><a href='https://www.gdzwfw.gov.cn/'>政务服务</a></nav>"


def _page(title: str, main: str, nav: str = SERVICE_NAV) -> str:
    return f"<html><head><title>{title}</title></head><body>{nav}<main>{main}</main></body></html>"


def _column(title: str, day: dt.date) -> str:
    return _page(title, f"<ul><li><a href='a1.html'>一条信息</a><span>{day.isoformat()}</span></li></ul>")


def _inspect(pages: dict[str, str | FakeResponse]) -> InspectionResult:
    client = FakeHttpClient({url: body if isinstance(body, FakeResponse) else FakeResponse(body=body)
                             for url, body in pages.items()})
    inspector = Inspector(CrawlConfig(start_url=BASE + "/", delay=0.0, follow_sitemap=False),
                          rulebook=load_rulebook(""), as_of=AS_OF, client=client)
    return asyncio.run(inspector.run())


# --- CC-31 --------------------------------------------------------------------------------------
def test_a_page_whose_html_takes_longer_than_three_seconds_is_reported_slow() -> None:
    assert load_rulebook("").rule("page.load").param("max_seconds") == 3
    home = _page("首页", f"<a href='/slow/'>工作动态</a><span>{AS_OF.isoformat()}</span>")
    result = _inspect({BASE + "/": home,
                       BASE + "/slow/": FakeResponse(body=_column("工作动态", AS_OF), delay=3.2)})
    [slow] = result.findings_for("page.load")
    assert slow.url == BASE + "/slow/" and slow.severity == "warning" and not slow.veto
    assert slow.extra["limit_seconds"] == 3 and slow.extra["seconds"] >= 3.2
    assert "超过 3 秒" in slow.evidence


# --- IS-02 --------------------------------------------------------------------------------------
def _navigation_site(column_day: dt.date) -> dict[str, str | FakeResponse]:
    home = _page("示例市人民政府", "<a href='/tzgg/'>通知公告</a><a href='/gzdt/'>工作动态</a>")
    return {BASE + "/": home, BASE + "/tzgg/": _column("通知公告", column_day - dt.timedelta(days=40)),
            BASE + "/gzdt/": _column("工作动态", column_day)}


def test_a_navigation_only_home_is_fresh_while_a_second_level_page_is() -> None:
    result = _inspect(_navigation_site(AS_OF - dt.timedelta(days=3)))
    assert result.findings_for("home.stale") == []


def test_a_navigation_only_home_fails_when_every_second_level_page_is_stale() -> None:
    result = _inspect(_navigation_site(AS_OF - dt.timedelta(days=20)))
    [stale] = result.findings_for("home.stale")
    assert stale.veto and stale.extra["navigation_home"] is True
    assert stale.extra["second_level_pages"] == 2 and stale.extra["age_days"] == 20
    assert "首页为导航页" in stale.evidence
    assert result.verdict.decided_by == "home.stale"


# --- IS-12 --------------------------------------------------------------------------------------
def _site_without_services() -> dict[str, str | FakeResponse]:
    home = _page("示例市人民政府", f"<ul><li><a href='/gzdt/'>工作动态</a><span>{AS_OF.isoformat()}"
                 "</span></li></ul>", nav="")
    return {BASE + "/": home, BASE + "/gzdt/": _column("工作动态", AS_OF).replace(SERVICE_NAV, "")}


def test_a_site_offering_no_service_is_reported_and_a_link_to_one_is_enough() -> None:
    [missing] = _inspect(_site_without_services()).findings_for("service.missing")
    assert (missing.severity, missing.veto) == ("serious", False)  # the crawl cannot tell the kind
    assert "服务不实用" in missing.message
    served = _site_without_services()
    served[BASE + "/"] = str(served[BASE + "/"]).replace(
        "<main>", "<main><a href='https://www.gdzwfw.gov.cn/'>网上办事</a>")
    assert _inspect(served).findings_for("service.missing") == []


@pytest.mark.parametrize(("kind", "veto"), [("portal", True), ("county", True),
                                             ("department", True), ("special", None)])
def test_platform_mode_makes_no_service_a_veto_for_portals_and_departments(kind: str,
                                                                          veto: bool | None) -> None:
    findings = _inspect(_site_without_services()).findings_for("service.missing")
    judged = judge_services_by_site_kind(findings, SimpleNamespace(kind=kind), load_rulebook(""))
    if veto is None:
        assert judged == []
        return
    [finding] = judged
    assert finding.veto and finding.severity == "veto"
    verdict = score(judged, load_rulebook(""))
    assert (verdict.label, verdict.decided_by) == ("单项否决", "service.missing")
    assert verdict.decided_by_title == "单项否决：服务不实用（未提供办事服务）"


# --- IS-11 --------------------------------------------------------------------------------------
def _twenty_points_off() -> list[InspectionFinding]:
    """Findings worth exactly 20 points in the national table (two indicators at their caps)."""
    return [InspectionFinding(rule_id=rule_id, url=f"{BASE}/p{i}/", evidence="", veto=False,
                              severity="warning", message="")
            for rule_id in ("link.broken", "page.identity_missing") for i in range(20)]


def test_above_the_bonus_line_a_passing_site_goes_on_to_the_bonus_part() -> None:
    book = load_rulebook("")
    assert book.bonus_above == 80
    clean = score([], book)
    assert clean.bonus_eligible and clean.bonus_above == 80
    at_line = score(_twenty_points_off(), book)  # 100 − 20 = 80: not above the line
    assert at_line.passed and at_line.score == 80 and not at_line.bonus_eligible


def test_the_report_says_when_the_bonus_part_applies() -> None:
    result = _inspect(_navigation_site(AS_OF))
    result.verdict = score([], load_rulebook(""))
    html = render_inspection_html(result.as_dict())
    assert "可进入加分指标评审" in html
    result.verdict = score(_twenty_points_off(), load_rulebook(""))
    assert "可进入加分指标评审" not in render_inspection_html(result.as_dict())
