"""What an inspection leaves out, and says it left out (issue 10 #4).

Offline, the footer's ICP / 公安备案 / 找错 links cannot be resolved: they are listed as not
checked, never as broken. Mode-switch links (rel=nofollow) and the /zh-hant/ copies do not eat
the page budget unless the 繁体 tree is asked for.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from govsites.monitoring import crawler, netguard
from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.rulebook import load_rulebook

from .fakes import FakeHttpClient, FakeResponse

BASE = "http://127.0.0.1:9"
FOOTER = ("<footer><a href='https://beian.miit.gov.cn/'>粤ICP备99000001号-1</a>"
          "<a href='https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=1'>公安备案</a>"
          "<a href='https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action'>找错</a>"
          "</footer>")


def _page(title: str, links: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><main>{links}</main>{FOOTER}"
            "</body></html>")


def _run(responses: dict[str, str], *, max_pages: int = 50,
         **config: Any) -> tuple[InspectionResult, set[str]]:
    """Inspect the canned site; return the result and the pages of the site it fetched."""
    client = FakeHttpClient({url: FakeResponse(body=body) for url, body in responses.items()})
    inspector = Inspector(CrawlConfig(start_url=BASE + "/", max_pages=max_pages, delay=0.0,
                                      follow_sitemap=False, **config),
                          rulebook=load_rulebook(""), as_of=dt.date(2026, 6, 30), client=client)
    result = asyncio.run(inspector.run())
    return result, {url for _method, url in client.requests if url.startswith(BASE)}


def _inspect(responses: dict[str, str], **config: Any) -> InspectionResult:
    return _run(responses, **config)[0]


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=[])
def test_offline_footer_links_are_not_checked_and_cost_no_points(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netguard, "resolve", lambda host: ("127.0.0.1",)
                        if host == "127.0.0.1" else ())  # no DNS on this machine
    result = _inspect({BASE + "/": _page("首页", "")})
    assert not result.findings_for("link.broken")
    reasons = {s.url: s.not_checked_reason for s in result.not_checked}
    assert reasons == {
        "https://beian.miit.gov.cn/": crawler.UNRESOLVED_OFFLINE,
        "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=1": crawler.UNRESOLVED_OFFLINE,
        "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action":
            crawler.UNRESOLVED_OFFLINE,
    }
    [links] = [d for d in result.verdict.deductions if d.indicator_id == "availability"]
    assert (links.findings, links.points) == (0, 0)


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=[])
def test_with_working_dns_a_domain_that_does_not_resolve_is_a_broken_link(
        monkeypatch: pytest.MonkeyPatch) -> None:
    names = {"127.0.0.1": ("127.0.0.1",), "beian.miit.gov.cn": ("127.0.0.1",),
             "www.beian.gov.cn": ("127.0.0.1",), "zfwzzc.www.gov.cn": ("127.0.0.1",)}
    monkeypatch.setattr(netguard, "resolve", lambda host: names.get(host, ()))
    body = _page("首页", "<a href='http://dead-domain.example.gov.cn/'>旧专题</a>")
    responses = {BASE + "/": body, "https://beian.miit.gov.cn/": "ok",
                 "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=1": "ok",
                 "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action": "ok"}
    result = _inspect(responses)
    [broken] = result.findings_for("link.broken")
    assert broken.url == "http://dead-domain.example.gov.cn/"
    assert crawler.UNRESOLVED_ERROR in broken.evidence
    assert result.not_checked == []


def test_targets_outside_the_allowed_networks_are_listed_as_not_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netguard, "resolve", lambda host: ("127.0.0.1",) if host == "127.0.0.1"
                        else ("203.0.113.5",))
    result = _inspect({BASE + "/": _page("首页", "")})
    assert not result.findings_for("link.broken")
    assert {s.not_checked_reason for s in result.not_checked} == {crawler.NOT_ALLOWED}


def _moded_site() -> dict[str, str]:
    toolbar = ("<a href='/zh-hant/' hreflang='zh-Hant'>繁體</a>"
               "<a href='/_govsites/mode/care/?next=/' rel='nofollow'>适老化·无障碍模式</a>")
    pages = {BASE + "/": _page("首页", toolbar + "<a href='/news/'>工作动态</a>")}
    pages[BASE + "/news/"] = _page("工作动态", toolbar.replace("next=/", "next=/news/"))
    pages[BASE + "/zh-hant/"] = _page("首頁", "<a href='/zh-hant/news/'>工作動態</a>")
    pages[BASE + "/zh-hant/news/"] = _page("工作動態", "")
    return pages


def test_nofollow_mode_switches_and_the_traditional_copies_are_not_crawled_by_default() -> None:
    result, fetched = _run(_moded_site())
    assert fetched == {BASE + "/", BASE + "/news/"}
    assert result.pages_crawled == 2
    assert any("rel=nofollow" in note and "2 个" in note for note in result.notes)
    assert any("繁体页面" in note and "1 个" in note for note in result.notes)


def test_the_traditional_tree_is_crawled_when_asked_for() -> None:
    _result, fetched = _run(_moded_site(), include_traditional=True)
    assert fetched == {BASE + "/", BASE + "/news/", BASE + "/zh-hant/", BASE + "/zh-hant/news/"}


def test_the_page_budget_is_spent_on_pages_not_on_mode_switches() -> None:
    result, fetched = _run(_moded_site(), max_pages=2)
    assert fetched == {BASE + "/", BASE + "/news/"}
    assert not [s for s in result.not_checked if "预算" in s.not_checked_reason]
