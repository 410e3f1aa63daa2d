"""The disclosure rules judged from the platform's records, registered with monitoring's
platform checks (monitoring/platform_rules.py), so the inspector's platform mode and the
platform's own daily alerts report them with the same rule data:

- `disclosure.category_missing` (DS-12, DS-13): a platform without a column for a category of
  条例第20条, or of 第21条 for its level;
- `disclosure.platform` (DS-14, DS-19): a site of a 公开主体 without a 政府信息公开平台, a
  platform not under the unified name, and disclosure columns set up outside the platform.

Imported once from apps.ready(); monitoring sits below disclosure and does not name it.
"""

from __future__ import annotations

from collections.abc import Iterator

from govsites.monitoring.findings import InspectionFinding, make_finding
from govsites.monitoring.platform_rules import PlatformContext, platform_check

from . import platform as layout


@platform_check("disclosure.category_missing")
def missing_categories(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Each required category (条例第20条; 第21条 by level) a platform of the site lacks."""
    if not layout.is_disclosure_site(ctx.profile):
        return
    value = ctx.rulebook.value
    spec = ctx.rulebook.rule("disclosure.category_missing")
    for platform in layout.site_layout(ctx.profile, value=value).platforms():
        for category in layout.missing_categories(platform, value=value):
            yield make_finding(
                spec, url=ctx.url(platform.column.url_path), source="database",
                evidence=(f"{platform.column.title}（{platform.owner.name}）没有“{category.title}”"
                          f"栏目（{category.citation()}）"),
                message=f"政府信息公开平台缺少法定主动公开内容（{category.citation()}）",
                extra={"article": category.article, "item": category.item,
                       "category": category.title, "platform": platform.column.pk,
                       "level": platform.level})


@platform_check("disclosure.platform")
def platform_layout(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """The site has one 政府信息公开平台 under the unified name and no disclosure column
    outside it (61号 专栏姓专)."""
    if not layout.is_disclosure_site(ctx.profile):
        return
    value = ctx.rulebook.value
    spec = ctx.rulebook.rule("disclosure.platform")
    found = layout.site_layout(ctx.profile, value=value)
    names = "、".join(f"“{name}”" for name in value("disclosure.platform.names"))
    if found.platform is None:
        yield make_finding(
            spec, url=ctx.base_url + "/", source="database",
            evidence=f"{ctx.profile.name}没有信息公开目录类别的栏目",
            message=f"没有政府信息公开平台（应设置{names}栏目）",
            extra={"problem": "missing"})
    elif not layout.name_is_unified(found.platform, value=value):
        column = found.platform.column
        yield make_finding(
            spec, url=ctx.url(column.url_path), source="database",
            evidence=f"政府信息公开平台栏目名称为“{column.title}”",
            message=f"政府信息公开平台名称不统一（应为{names}）",
            extra={"problem": "name", "column": column.pk, "title": column.title})
    for stray in found.stray:
        yield make_finding(
            spec, url=ctx.url(stray.column.url_path), source="database",
            evidence=f"“{stray.column.title}”不在政府信息公开平台内：{stray.reason}",
            message="在政府信息公开平台之外另设公开栏目（专栏姓专）",
            extra={"problem": "separate", "column": stray.column.pk,
                   "title": stray.column.title})
