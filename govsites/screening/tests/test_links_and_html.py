"""HTML: visible and hidden text, titles and meta, link extraction, commercial links."""

from __future__ import annotations

import pytest

from govsites.screening.engine import Screener
from govsites.screening.links import DomainAllowList, host_of, normalise_domain_pattern
from govsites.screening.markup import extract_links, read_html
from govsites.screening.rules import DomainRule, national_ruleset
from govsites.screening.types import Category, Severity

PAGE = """
<html><head><title>示例市人民政府</title>
<meta name="keywords" content="政务公开,太阳城娱乐">
<script>var casino = "澳门梦想之城";</script><style>.x{}</style></head>
<body>
<div class="nav"><a href="/col/zwgk/">政务公开</a> <a href="https://www.gov.cn/">中国政府网</a></div>
<p>详见<a href="http://www.people.com.cn/n1/2021/0101/c1.html">人民网报道</a>。</p>
<div style="display:none"><a href="https://dreamcity-casino.example.com/?ref=gov">澳门梦想之城官网</a></div>
<p>办事入口：<a href="//zwfw.liaoning.gov.cn/">辽宁政务服务网</a></p>
<iframe src="https://ads.example.net/banner"></iframe>
<a href="mailto:ban@shili.gov.cn">信箱</a> <a href="javascript:void(0)">打印</a>
<img src="a.png" alt="新葡京娱乐">
<a href="http://bszs.conac.cn/sitename?method=show&id=1"><img src="red.png"></a>
</body></html>
"""


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def test_extract_links_returns_hrefs_with_their_text() -> None:
    links = extract_links(PAGE, base_url="https://www.shili.gov.cn/art/1.html")
    pairs = [(link.href, link.text, link.source) for link in links]
    assert ("https://www.shili.gov.cn/col/zwgk/", "政务公开", "a") in pairs
    assert ("https://dreamcity-casino.example.com/?ref=gov", "澳门梦想之城官网", "a") in pairs
    assert ("https://zwfw.liaoning.gov.cn/", "辽宁政务服务网", "a") in pairs
    assert ("https://ads.example.net/banner", "", "iframe") in pairs
    assert len(links) == 9


def test_read_html_skips_scripts_and_keeps_hidden_text_title_and_meta() -> None:
    document = read_html(PAGE)
    assert document.title == "示例市人民政府"
    assert "太阳城娱乐" in document.meta
    assert "澳门梦想之城官网" in document.text
    assert "var casino" not in document.text
    assert "新葡京娱乐" in document.text  # alt text


def test_inline_tags_do_not_split_a_term() -> None:
    document = read_html("<p>澳门<span>梦想</span><b>之城</b></p><p>下一段</p>")
    assert "澳门梦想之城" in document.text
    assert "之城\n" in document.text


def test_scan_html_reports_terms_meta_and_commercial_links_only(screener: Screener) -> None:
    # (The markup of the page is screened too: see the next test.)
    findings = screener.scan_html(PAGE, location="https://www.shili.gov.cn/art/1.html",
                                  base_url="https://www.shili.gov.cn/art/1.html",
                                  whole_page=True)
    summary = sorted((f.rule_id, f.location.rsplit("#", 1)[-1] if "#" in f.location else "",
                      f.evidence) for f in findings if not f.rule_id.startswith("markup."))
    assert summary == sorted([
        ("term.gambling", "meta", "太阳城娱乐"),
        ("term.gambling", "", "澳门梦想之城"),
        ("term.gambling", "", "新葡京娱乐"),
        ("link.commercial", "", "https://dreamcity-casino.example.com/?ref=gov"),
        ("link.commercial", "", "https://ads.example.net/banner"),
    ])
    link = next(f for f in findings if f.extra.get("host") == "dreamcity-casino.example.com")
    assert link.category == Category.COMMERCIAL_LINK
    assert link.severity == Severity.WARNING
    assert link.context == "澳门梦想之城官网"
    assert link.extra["link_text"] == "澳门梦想之城官网"


def test_scan_html_of_a_page_also_reports_its_hidden_link_but_not_its_scripts(
        screener: Screener) -> None:
    findings = screener.scan_html(PAGE, location="p", base_url="https://www.shili.gov.cn/",
                                  whole_page=True)
    assert [(f.rule_id, f.evidence, f.context) for f in findings
            if f.rule_id.startswith("markup.")] == [
        ("markup.hidden_link",
         '<a href="https://dreamcity-casino.example.com/?ref=gov">澳门梦想之城官网</a>',
         "display:none")]


def test_links_to_the_sites_own_host_are_not_commercial(screener: Screener) -> None:
    html = '<a href="https://www.shili.com/a">本站</a><a href="/b">相对链接</a>'
    assert screener.scan_html(html, location="x", base_url="https://www.shili.com/") == []
    assert [f.extra["host"] for f in screener.scan_html(html, location="x")] == ["www.shili.com"]


def test_bare_url_in_text_to_a_commercial_host_is_reported_once(screener: Screener) -> None:
    html = '<p>请访问 <a href="http://www.lucky-casino.example/">www.lucky-casino.example</a></p>'
    findings = screener.scan_html(html, location="body")
    assert [f.rule_id for f in findings] == ["link.commercial"]
    text_findings = screener.scan_text("详见 https://shop.example.com/item?id=1。", location="t")
    assert [(f.evidence, f.offset) for f in text_findings] == [
        ("https://shop.example.com/item?id=1", 3)
    ]


def test_bare_url_to_a_government_host_is_not_reported(screener: Screener) -> None:
    assert screener.scan_text("详见 http://www.gov.cn/zhengce/ 和 www.xinhuanet.com",
                              location="t") == []


@pytest.mark.parametrize("url", [
    "https://www.gov.cn/", "http://GOV.CN", "https://zwfw.liaoning.gov.cn:8443/x",
    "http://beian.miit.gov.cn/", "https://www.beian.gov.cn/portal", "http://bszs.conac.cn/x",
    "http://politics.people.com.cn/n1/", "https://www.news.cn/", "http://示例.政务/",
    "http://xn--fsq092h.xn--zfr164b/",  # 示例.政务 in punycode
])
def test_government_and_allow_listed_hosts_are_allowed(screener: Screener, url: str) -> None:
    host = host_of(url)
    assert host is not None
    assert screener.is_allowed_host(host)


@pytest.mark.parametrize("url", [
    "https://gov.cn.casino.example/", "http://fakegov.cn/", "https://www.taobao.com/",
    "http://123.45.67.89/", "https://people.com.cn.evil.example/", "http://miit.gov.cn.co/",
])
def test_commercial_and_lookalike_hosts_are_not_allowed(screener: Screener, url: str) -> None:
    host = host_of(url)
    assert host is not None
    assert not screener.is_allowed_host(host)


def test_non_web_links_have_no_host() -> None:
    assert host_of("mailto:a@b.cn") is None
    assert host_of("javascript:void(0)") is None
    assert host_of("/relative/path") is None


def test_exact_domain_rule_does_not_cover_subdomains() -> None:
    allow = DomainAllowList([DomainRule("pucha.kaipuyun.cn", include_subdomains=False)])
    assert allow.allows("pucha.kaipuyun.cn")
    assert not allow.allows("kaipuyun.cn")
    assert not allow.allows("x.pucha.kaipuyun.cn")


def test_domain_patterns_typed_by_operators_are_normalised() -> None:
    assert normalise_domain_pattern("*.Example.GOV.cn") == ("example.gov.cn", True)
    assert normalise_domain_pattern("https://www.people.com.cn/index.html") == (
        "www.people.com.cn", False)
    assert normalise_domain_pattern("xn--fsq092h.xn--zfr164b") == ("示例.政务", False)
