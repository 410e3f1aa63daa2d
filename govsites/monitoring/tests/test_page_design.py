"""CC-32 (页面用色不超过3种；同类栏目、同类信息使用统一模板; attribution to the national 《网页设计规范》
unconfirmed, so the values are provisional rule data): the inspector counts colour families in the
site's own CSS and reports item or column pages of one type that use another template."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from govsites import rules
from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.design import colour_families, stylesheet_colours
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.rulebook import load_rulebook

from .fakes import FakeHttpClient, FakeResponse

BASE = "http://127.0.0.1:9"
AS_OF = dt.date(2026, 6, 30)
REPO = Path(__file__).resolve().parents[3]
FIVE_HUES = (".a{color:#c00000} .b{background:#0b4f9c} .c{border:1px solid #2e8b57}"
             ".d{color:rgb(128,0,128)} .e{background-color:hsl(45,100%,50%)}")
THREE_HUES = ".a{color:#c00000;background:#fdecee} .b{color:#a61b1b} .c{color:#0b4f9c} " \
             ".d{color:#f0a500} .e{color:#333;background:#fff;border-color:#d9d9d9}"


def _families(css: str) -> int:
    params = rules.from_files("national")
    colours = stylesheet_colours(
        css, ignore_selector_words=params.value("design.colours.ignore_selector_words"))
    return len(colour_families(
        colours, hue_tolerance=float(params.value("design.colours.hue_tolerance_degrees"))))


def test_shades_and_tints_of_one_hue_are_one_family_and_greys_are_none() -> None:
    assert _families(THREE_HUES) == 3
    assert _families(FIVE_HUES) == 5
    assert _families(".x{color:#000;background:#fff;border:1px solid #ccc}") == 0
    # reds either side of 0° are one family
    assert _families(".x{color:#b00020} .y{color:#c01000}") == 1


def test_alternative_reading_modes_and_print_styles_are_not_the_page_design() -> None:
    css = (THREE_HUES + " html.aid-contrast body{color:#ff0;background:#00007a}"
           " @media print{.p{color:#2e8b57}} @media (forced-colors: active){.q{color:#800080}}")
    assert _families(css) == 3


def test_the_platform_theme_uses_at_most_three_colour_families() -> None:
    sheets = ["govsites/content/static/govsites/site.css",
              "govsites/content/static/govsites/mode-standard.css",
              "govsites/publishing/static/govsites/reading-aids.css"]
    css = "\n".join((REPO / sheet).read_text(encoding="utf-8") for sheet in sheets)
    assert _families(css) <= rules.from_files("national").value("design.colours.max_families")


def _page(title: str, *, header: str = '<header class="site-header"><nav class="site-nav">'
          '<a href="/">首页</a></nav></header>', meta: str = "", css: str = "") -> FakeResponse:
    return FakeResponse(body=(
        f"<html><head><title>{title}</title>{meta}{css}</head><body>{header}"
        f'<main id="main"><h1>{title}</h1><p>正文。</p><span>{AS_OF.isoformat()}</span></main>'
        '<footer class="site-footer"><p>主办单位：示例市人民政府</p></footer></body></html>'))


def _item_meta(name: str) -> str:
    return (f'<meta name="ArticleTitle" content="{name}"><meta name="PubDate" '
            f'content="{AS_OF.isoformat()} 09:00"><meta name="ColumnType" content="工作动态">'
            '<meta name="ColumnName" content="工作动态">')


def _inspect(responses: dict[str, FakeResponse]) -> InspectionResult:
    client = FakeHttpClient({BASE + path: response for path, response in responses.items()})
    inspector = Inspector(CrawlConfig(start_url=BASE + "/", delay=0.0, follow_sitemap=False),
                          rulebook=load_rulebook(""), as_of=AS_OF, client=client)
    return asyncio.run(inspector.run())


def _site(home_css: str, odd_header: str | None = None) -> dict[str, FakeResponse]:
    links = "".join(f'<a href="/gzdt/{i}.html">动态{i}</a>' for i in (1, 2, 3))
    home = _page("示例市人民政府", css='<link rel="stylesheet" href="/static/site.css">'
                 '<style>.banner{color:#c00000}</style>')
    home.body = str(home.body).replace("<p>正文。</p>", f"<p>{links}</p>")
    pages: dict[str, FakeResponse] = {
        "/": home, "/static/site.css": FakeResponse(body=home_css, content_type="text/css")}
    for i in (1, 2, 3):
        kwargs = {"header": odd_header} if odd_header and i == 3 else {}
        pages[f"/gzdt/{i}.html"] = _page(f"动态{i}", meta=_item_meta(f"动态{i}"), **kwargs)
    return pages


def test_a_site_whose_css_uses_more_than_three_colour_families_is_reported() -> None:
    result = _inspect(_site(FIVE_HUES))
    [finding] = result.findings_for("design.colours")
    assert finding.extra["families"] == 5 and finding.severity == "warning"
    assert "5 种色调" in finding.evidence
    assert BASE + "/static/site.css" in finding.extra["stylesheets"]
    assert _inspect(_site(THREE_HUES)).findings_for("design.colours") == []


def test_an_item_page_on_another_template_than_its_column_type_is_reported() -> None:
    assert _inspect(_site(THREE_HUES)).findings_for("design.template_consistency") == []
    odd = '<div id="top"><table><tr><td>旧版页头</td></tr></table></div>'
    [finding] = _inspect(_site(THREE_HUES, odd_header=odd)).findings_for(
        "design.template_consistency")
    assert finding.url == BASE + "/gzdt/3.html"
    assert "工作动态类信息使用 2 种模板" in finding.evidence
    assert finding.extra == {"column_type": "工作动态", "kind": "信息", "layouts": 2}
