"""Checks of what a site offers and how fast: 办事服务 present (IS-12), page load time (CC-31)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import InspectionFinding, make_finding, register_check
from .context import SiteContext

SITE_KIND_NOTE = "适用于门户网站和有对外服务职能的部门网站"


def offers_services(ctx: SiteContext) -> bool:
    """Say whether the crawl saw any 办事服务: a column or item of that type, or a link to one."""
    spec = ctx.rulebook.rule("service.missing")
    types = set(spec.param("column_types", []))
    words = tuple(spec.param("link_words", []))
    if any(c.column_type in types for c in ctx.columns.values()):
        return True
    if any(p.column_type in types for p in ctx.content_pages.values()):
        return True
    for status in ctx.links.values():
        for _page, text in status.referrers:
            if any(word in text for word in words):
                return True
    return False


@register_check("service.missing", scope="site")
def missing_services(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report a site that offers no 办事服务 at all (服务不实用, §2.2 #6 (1)).

    The crawl cannot tell a portal from a department without external services, so the finding
    is serious, not a veto; platform mode knows the site's kind and makes it the veto it is for
    portals, county and department sites (or drops it for the other kinds).
    """
    if ctx.home is None or offers_services(ctx):
        return
    spec = ctx.rulebook.rule("service.missing")
    yield make_finding(spec, url=ctx.start_url, veto=False, severity="serious",
                       evidence="全站未发现办事服务栏目、办事指南或办事服务入口",
                       message=f"服务不实用：未提供办事服务（{SITE_KIND_NOTE}，构成单项否决）",
                       extra={"needs_site_kind": True})


@register_check("page.load", scope="site")
def slow_pages(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report pages whose HTML took longer than the limit to arrive (CC-31, ≤ 3 s)."""
    spec = ctx.rulebook.rule("page.load")
    limit = float(spec.param("max_seconds"))
    for url, seconds in ctx.slow_pages:
        yield make_finding(spec, url=url, evidence=f"页面加载用时 {seconds:.1f} 秒，超过 {limit:g} 秒",
                           message=f"页面加载过慢（{seconds:.1f} 秒）",
                           extra={"seconds": round(seconds, 2), "limit_seconds": limit})
