"""Page design (CC-32): at most `max_families` colour families on the site's pages, and one
template for the item pages of one column type and for the column pages of one type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..design import colour_families, describe, stylesheet_colours
from ..findings import InspectionFinding, make_finding, register_check
from .context import SiteContext


@register_check("design.colours", scope="site")
def colour_count(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Count the colour families of the home page's own CSS and the site's stylesheets."""
    if ctx.home is None:
        return
    spec = ctx.rulebook.rule("design.colours")
    limit = int(spec.param("max_families"))
    ignore = [str(word) for word in spec.param("ignore_selector_words")]
    colours = stylesheet_colours(ctx.home.inline_css, ignore_selector_words=ignore)
    for css in ctx.stylesheets.values():
        colours += stylesheet_colours(css, ignore_selector_words=ignore)
    families = colour_families(colours, hue_tolerance=float(spec.param("hue_tolerance_degrees")))
    if len(families) <= limit:
        return
    shown = "；".join(describe(family) for family in families)
    yield make_finding(
        spec, url=ctx.start_url,
        evidence=f"{len(families)} 种色调（不计黑白灰）：{shown}",
        message=f"页面用色 {len(families)} 种色调，超过 {limit} 种",
        extra={"families": len(families), "stylesheets": sorted(ctx.stylesheets)[:10]})


def _split(pages: dict[str, list[str]], kind: str, column_type: str
           ) -> tuple[str, str, str] | None:
    """(URL to report, evidence, message) when pages of one type use more than one layout."""
    if len(pages) < 2:
        return None
    ranked = sorted(pages.items(), key=lambda item: (-len(item[1]), min(item[1])))
    main_layout_pages = ranked[0][1]
    others = [url for _, urls in ranked[1:] for url in sorted(urls)]
    parts = [f"{len(urls)} 页（如 {min(urls)}）" for _, urls in ranked]
    return (others[0], f"{column_type}类{kind}使用 {len(pages)} 种模板：" + "；".join(parts),
            f"同类{kind}未使用统一模板（{column_type}：{len(others)} 页与其余 "
            f"{len(main_layout_pages)} 页不同）")


@register_check("design.template_consistency", scope="site")
def template_consistency(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Item pages of one column type, and column pages of one type, share one layout."""
    spec = ctx.rulebook.rule("design.template_consistency")
    items: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in ctx.content_pages.values():
        if page.column_type and page.layout:
            items[page.column_type][page.layout].append(page.url)
    columns: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for column in ctx.columns.values():
        if column.column_type and column.layout:
            columns[column.column_type][column.layout].append(column.url)
    for kind, groups in (("信息", items), ("栏目", columns)):
        for column_type in sorted(groups):
            split = _split(groups[column_type], kind, column_type)
            if split is not None:
                url, evidence, message = split
                yield make_finding(spec, url=url, evidence=evidence, message=message,
                                   extra={"column_type": column_type, "kind": kind,
                                          "layouts": len(groups[column_type])})
