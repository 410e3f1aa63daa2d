"""Checks that need the whole crawl: freshness, blank columns, broken links, 解读 links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..findings import InspectionFinding, make_finding, register_check
from ..roles import ColumnSummary, column_key
from .context import SiteContext


def _usable(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    return day if day is not None and day <= as_of else None


@register_check("site.unavailable", scope="site")
def unavailable(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report a home page that did not answer within the timeout (one probe: serious, not a veto)."""
    result = ctx.start_result
    if result is None or (not result.error and result.status < 400):
        return
    spec = ctx.rulebook.rule("site.unavailable")
    what = result.error or f"HTTP {result.status}"
    yield make_finding(spec, url=ctx.start_url, evidence=what, veto=False, severity="serious",
                       message=f"首页无法访问（{what}）；单项否决以 7 天内探测失败比例为准")


def column_last_update(column: ColumnSummary, ctx: SiteContext,
                       content_by_column: dict[str, list[dt.date]]) -> dt.date | None:
    """The newest date a column shows: dates in its lists or PubDate of its items."""
    dates: list[dt.date] = [d for d in [column.newest_list_date,
                                        *content_by_column.get(column.key, [])]
                            if d is not None and _usable(d, ctx.as_of)]
    return max(dates) if dates else None


def _content_by_column(ctx: SiteContext) -> dict[str, list[dt.date]]:
    keys = sorted(ctx.columns, key=len, reverse=True)
    by_name = {c.name: c.key for c in ctx.columns.values() if c.name}
    result: dict[str, list[dt.date]] = {}
    for page in ctx.content_pages.values():
        if page.pub_date is None:
            continue
        owner = next((k for k in keys if page.url.startswith(k) and page.url != k), None)
        if owner is None:
            owner = by_name.get(page.column_name)
        if owner is not None:
            result.setdefault(owner, []).append(page.pub_date)
    return result


def is_empty(column: ColumnSummary, ctx: SiteContext) -> bool:
    """Say whether a column shows nothing: no dated item, no link to an item or sub-column."""
    if column.newest_list_date is not None:
        return False
    for url in column.main_link_urls:
        key = column_key(url)
        if key != column.key and key.startswith(column.key):
            return False
        if url in ctx.content_pages:
            return False
    return True


@register_check("column.empty", scope="site")
def empty_columns(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report blank columns (空白栏目, §2.2 #4 (3)); the veto at the threshold is decided in scoring."""
    spec = ctx.rulebook.rule("column.empty")
    for column in ctx.columns.values():
        if is_empty(column, ctx):
            yield make_finding(spec, url=column.url or column.key, evidence=f"{column.name}（{column.column_type or '未知类型'}）",
                               message=f"空白栏目：“{column.name}”没有任何信息")


@register_check("column.stale", scope="site")
def stale_columns(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report 动态/要闻 columns older than 2 weeks and 通知公告/政策文件 一级栏目 older than 6 months."""
    spec = ctx.rulebook.rule("column.stale")
    limits: dict[str, int] = spec.param("max_age_days_by_type", {})
    top_only = set(spec.param("top_level_only_types", []))
    dated = _content_by_column(ctx)
    for column in ctx.columns.values():
        limit = limits.get(column.column_type)
        if limit is None or (column.column_type in top_only and column.level > 1):
            continue
        if is_empty(column, ctx):
            continue  # reported as blank; the rules do not count one column twice
        last = column_last_update(column, ctx, dated)
        age = (ctx.as_of - last).days if last else None
        if age is None or age > limit:
            shown = f"最近更新 {last.isoformat()}（{age} 天前）" if last else "未显示发布日期"
            yield make_finding(
                spec, url=column.url or column.key, evidence=f"{column.name}：{shown}，时限 {limit} 天",
                message=f"栏目不更新：“{column.name}”（{column.column_type}）超过 {limit} 天未更新",
                extra={"column_type": column.column_type, "last_update": last.isoformat() if last else None,
                       "age_days": age, "limit_days": limit, "kind": "typed"},
            )


@register_check("home.stale", scope="site")
def stale_home(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report a home page showing no new item within 14 days (§2.2 #3).

    A home page that shows no dated item at all is a navigation entry (IS-02): it is judged by
    the second-level pages, the site's 一级栏目, and is stale only when all of them are.
    """
    if ctx.home is None:
        return
    spec = ctx.rulebook.rule("home.stale")
    limit = int(spec.param("max_age_days", 14))
    dates = [d for d in ctx.home.list_dates if _usable(d, ctx.as_of)]
    for url in ctx.home.main_link_urls:
        page = ctx.content_pages.get(url)
        if page is not None and _usable(page.pub_date, ctx.as_of):
            dates.append(page.pub_date)  # type: ignore[arg-type]
    if not dates:
        yield from _stale_navigation_home(ctx, spec, limit)
        return
    last = max(dates)
    age = (ctx.as_of - last).days
    if age > limit:
        yield make_finding(spec, url=ctx.home.url,
                           evidence=f"首页最新信息日期 {last.isoformat()}（{age} 天前）",
                           message=f"首页超过 {limit} 天未更新",
                           extra={"last_update": last.isoformat(), "age_days": age,
                                  "limit_days": limit})


def _stale_navigation_home(ctx: SiteContext, spec: Any, limit: int) -> Iterator[InspectionFinding]:
    """A navigation-only home page: stale when every second-level page (一级栏目) is."""
    assert ctx.home is not None
    dated = _content_by_column(ctx)
    second_level = [c for c in ctx.columns.values() if c.level == 1]
    updates = [d for d in (column_last_update(c, ctx, dated) for c in second_level) if d]
    last = max(updates) if updates else None
    age = (ctx.as_of - last).days if last else None
    if age is not None and age <= limit:
        return
    if last:
        shown = (f"首页为导航页（未显示信息日期），{len(second_level)} 个二级页面最近更新 "
                 f"{last.isoformat()}（{age} 天前）")
    elif second_level:
        shown = f"首页为导航页（未显示信息日期），{len(second_level)} 个二级页面均未显示发布日期"
    else:
        shown = "首页未显示任何发布日期，也未发现二级栏目页面"
    yield make_finding(spec, url=ctx.home.url, evidence=shown,
                       message=f"首页及二级页面超过 {limit} 天未更新",
                       extra={"last_update": last.isoformat() if last else None,
                              "age_days": age, "limit_days": limit, "navigation_home": True,
                              "second_level_pages": len(second_level)})


@register_check("link.broken", scope="site")
def broken_links(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report every referenced URL that answered an error, with the pages and link texts."""
    spec = ctx.rulebook.rule("link.broken")
    kinds = {"page": "站内链接", "attachment": "附件", "resource": "页面资源", "external": "外部链接"}
    for status in ctx.links.values():
        if not status.broken or status.url == ctx.start_url:
            continue
        what = status.error or f"HTTP {status.status}"
        page, text = status.referrers[0] if status.referrers else ("", "")
        yield make_finding(
            spec, url=status.url, page=page, link_text=text,
            evidence=f"{kinds.get(status.kind, status.kind)}不可用（{what}）",
            message=f"{kinds.get(status.kind, status.kind)}不可用：{status.url}",
            extra={"kind": status.kind, "status": status.status, "error": status.error,
                   "referrers": status.referrers, "referrer_count": status.referrer_count},
        )


@register_check("interpretation.unlinked", scope="site")
def unlinked_interpretations(ctx: SiteContext) -> Iterator[InspectionFinding]:
    """Report a 政策解读 page that links to no policy document (§1.5.2 解读 with its document)."""
    spec = ctx.rulebook.rule("interpretation.unlinked")
    for page in ctx.content_pages.values():
        if not page.is_interpretation:
            continue
        linked = False
        for url, text in page.main_links:
            target = ctx.content_pages.get(url)
            if target is not None and target.is_policy:
                linked = True
                break
            if ctx.scope.is_external(url) and ("《" in text or "原文" in text or "文件" in text):
                linked = True
                break
        if not linked:
            yield make_finding(spec, url=page.url, evidence=page.title[:80],
                               message="政策解读未链接到所解读的政策文件")
