"""Raw HTML: hidden links and text (暗链) and unsafe constructs are findings a reviewer sees."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from govsites.screening.engine import Screener
from govsites.screening.hidden import hidden_reason, hiding_data, parse_stylesheet
from govsites.screening.markup import is_script_url, read_html
from govsites.screening.rules import (
    BASE,
    EVENT_HANDLER,
    FRAME,
    HIDDEN_LINK,
    HIDDEN_TEXT,
    JAVASCRIPT_URL,
    META_REFRESH,
    SCRIPT,
    national_ruleset,
)
from govsites.screening.types import Category, Severity

#: What content holds an item on (content/screening_hooks.py): serious and veto.
HOLDS = {Severity.SERIOUS, Severity.VETO}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def markup(screener: Screener, html: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(f.rule_id, f.context) for f in screener.scan_html(html, location="body", **kwargs)
            if f.category in (Category.HIDDEN_CONTENT, Category.UNSAFE_MARKUP)]


@pytest.mark.parametrize(("style", "reason"), [
    ("display:none", "display:none"),
    ("DISPLAY: NONE !important", "display:none"),
    ("visibility:hidden", "visibility:hidden"),
    ("position:absolute;left:-9999px", "off-screen (left:-9999px)"),
    ("position:fixed;top:-2000px", "off-screen (top:-2000px)"),
    ("text-indent:-9999px", "off-screen (text-indent:-9999px)"),
    ("font-size:0", "zero size (font-size:0)"),
    ("height:0;overflow:hidden", "zero size (height:0 with overflow hidden)"),
    ("width:1px;overflow:hidden", "zero size (width:1px with overflow hidden)"),
    ("opacity:0", "opacity:0"),
    ("color:#ffffff", "same colour as background"),
    ("color:red;background:red", "same colour as background"),
    ("transform:scale(0)", "zero size (transform:scale(0))"),
])
def test_a_link_hidden_by_its_style_or_an_ancestors_is_a_finding_that_holds(
        screener: Screener, style: str, reason: str) -> None:
    for html in (f'<p>正文<a href="https://x.example/a" style="{style}">链接</a></p>',
                 f'<div style="{style}"><span><a href="https://x.example/a">链接</a></span></div>'):
        (finding,) = [f for f in screener.scan_html(html, location="body")
                      if f.rule_id == HIDDEN_LINK]
        assert finding.context == reason
        assert finding.severity in HOLDS
        assert finding.extra["href"] == "https://x.example/a"
        assert "RS-13" in finding.extra["checklist"]
        assert "链接" in finding.evidence


def test_visible_styles_do_not_hide_a_link(screener: Screener) -> None:
    for style in ("display:block", "position:absolute;left:20px", "height:0", "font-size:12px",
                  "color:#333", "opacity:0.5", "text-indent:2em", "width:0"):
        html = f'<p><a href="https://x.example/a" style="{style}">链接</a></p>'
        assert markup(screener, html) == [], style


def test_style_rules_of_the_document_hide_a_class_or_an_id(screener: Screener) -> None:
    html = ("<style>.seo{position:absolute;top:-800px} #k {display:none}</style>"
            '<div class="box seo"><a href="https://x.example/1">一</a></div>'
            '<p id="k"><a href="https://x.example/2">二</a></p>'
            '<p class="box"><a href="https://x.example/3">三</a></p>')
    assert [f.extra["href"] for f in screener.scan_html(html, location="b")
            if f.rule_id == HIDDEN_LINK] == ["https://x.example/1", "https://x.example/2"]


def test_the_hidden_attribute_and_a_tiny_marquee_hide_links(screener: Screener) -> None:
    html = ('<div hidden><a href="https://x.example/1">一</a></div>'
            '<marquee width="1" height="1"><a href="https://x.example/2">二</a></marquee>'
            '<marquee><a href="https://x.example/3">通知公告滚动</a></marquee>')
    assert markup(screener, html) == [(HIDDEN_LINK, "display:none"),
                                      (HIDDEN_LINK, "tiny marquee (width:1)")]


def test_the_off_screen_threshold_is_data() -> None:
    assert hiding_data().offscreen_px == 500
    html = '<a href="https://x.example/" style="position:absolute;left:-300px">一</a>'
    assert [c.rule_id for c in read_html(html).constructs] == []
    from govsites.screening.hidden import HidingData

    strict = HidingData(offscreen_px=200, tiny_px=2, max_opacity=0.01)
    assert [c.rule_id for c in read_html(html, hiding=strict).constructs] == [HIDDEN_LINK]


def test_hidden_text_is_a_warning_and_a_hidden_term_is_still_a_term_finding(
        screener: Screener) -> None:
    html = '<p>正文</p><div style="display:none"><p>澳门梦想之城</p><p>第二段</p></div>'
    findings = screener.scan_html(html, location="body")
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("term.gambling", Severity.VETO), (HIDDEN_TEXT, Severity.WARNING)]
    assert findings[1].evidence == "澳门梦想之城"  # once for the hidden block


@pytest.mark.parametrize(("html", "rule_id"), [
    ("<p>一</p><script>alert(1)</script>", SCRIPT),
    ('<script src="https://evil.example/x.js"></script>', SCRIPT),
    ('<img src="x.png" onerror="alert(1)">', EVENT_HANDLER),
    ('<svg onload="alert(1)"></svg>', EVENT_HANDLER),
    ('<a href="javascript:alert(1)">点</a>', JAVASCRIPT_URL),
    ('<a href="JaVaScRiPt&#58;alert(1)">点</a>', JAVASCRIPT_URL),
    ('<a href="&#106;avascript&colon;alert(1)">点</a>', JAVASCRIPT_URL),
    ('<a href=" java\tscript:alert(1)">点</a>', JAVASCRIPT_URL),
    ('<form action="javascript:alert(1)"><button>提交</button></form>', JAVASCRIPT_URL),
    ('<iframe src="data:text/html;base64,PHNjcmlwdD4="></iframe>', JAVASCRIPT_URL),
    ('<p style="background:url(javascript:alert(1))">一</p>', JAVASCRIPT_URL),
    ('<iframe src="https://ads.example/"></iframe>', FRAME),
    ('<object data="x.swf"></object>', FRAME),
    ('<embed src="x.swf">', FRAME),
    ('<meta http-equiv="Refresh" content="0; url=https://x.example/">', META_REFRESH),
    ('<base href="https://x.example/">', BASE),
])
def test_unsafe_constructs_in_raw_html_are_findings_that_hold(screener: Screener, html: str,
                                                              rule_id: str) -> None:
    findings = [f for f in screener.scan_html(html, location="body") if f.rule_id == rule_id]
    assert findings
    assert findings[0].severity in HOLDS
    assert findings[0].category == Category.UNSAFE_MARKUP
    assert findings[0].evidence.startswith("<")


def test_safe_markup_and_wagtail_rich_text_raise_no_markup_finding(screener: Screener) -> None:
    html = ('<p>见<a linktype="page" id="3">通知</a>，<a href="https://www.gov.cn/">中国政府网</a>'
            '和<a href="#top">顶部</a>。</p><embed embedtype="image" id="7" format="left" alt="图"/>'
            '<p><a href="mailto:ban@shili.gov.cn">信箱</a></p>')
    assert markup(screener, html) == []
    assert not is_script_url("https://x.example/javascript:no")


def test_a_published_page_is_not_faulted_for_its_own_scripts(screener: Screener) -> None:
    html = ('<html><head><script src="/static/site.js"></script></head><body>'
            '<a href="https://x.example/" style="display:none">暗链</a></body></html>')
    assert markup(screener, html, whole_page=True) == [(HIDDEN_LINK, "display:none")]
    assert (SCRIPT, "") in markup(screener, html)


def test_the_imported_body_of_issue_8_is_held_for_every_construct(screener: Screener) -> None:
    body = ('<p>通知正文</p><script>steal()</script><img src=x onerror=alert(1)>'
            '<a href="JaVaScRiPt&#58;alert(1)">點此</a><iframe src="https://ads.example/"></iframe>'
            '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
            '<base href="https://evil.example/">'
            '<div style="display:none"><a href="https://casino.example/">博彩</a></div>'
            '<a href="https://casino.example/2" style="position:absolute;left:-9999px">葡京</a>')
    rule_ids = {f.rule_id for f in screener.scan_html(body, location="body")
                if f.severity in HOLDS}
    assert {SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL, FRAME, META_REFRESH, BASE,
            HIDDEN_LINK} <= rule_ids


def test_hidden_reason_reads_selectolax_nodes_as_the_inspector_has_them() -> None:
    page = ('<html><head><style>.h{display:none}</style></head><body>'
            '<div class="h"><a id="one" href="https://x.example/">一</a></div>'
            '<a id="two" href="https://x.example/" style="color:white">二</a>'
            '<a id="three" href="https://x.example/">三</a></body></html>')
    tree = LexborHTMLParser(page)
    sheet: dict[str, dict[str, str]] = {}
    for style in tree.css("style"):
        sheet.update(parse_stylesheet(style.text()))
    reasons = {node.attributes["id"]: hidden_reason(node, sheet) for node in tree.css("a")}
    assert reasons == {"one": "display:none", "two": "same colour as background", "three": ""}


def test_line_breaks_in_the_html_source_do_not_split_a_term(screener: Screener) -> None:
    html = "<p>欢迎访问澳门\n        梦想之城</p><p>澳门</p><p>赌场</p>"
    assert [f.evidence for f in screener.scan_html(html, location="b")] == ["澳门 梦想之城"]
