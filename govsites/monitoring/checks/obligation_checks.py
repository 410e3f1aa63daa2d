"""Obligations judged from the platform's records that no crawl shows (issue 17): an outage
the public was not told about (PA-04), an 适老化 / 无障碍 evaluation failed or its 信息无障碍标识
expired or about to (PA-12), department channels off the portal's path (ID-08/ID-09), statistics
not published or not kept fresh (DT-01)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from govsites.content import selectors as content_selectors
from govsites.sites import registry_rules as sites_registry_rules
from govsites.sites import selectors as sites_selectors

from ..findings import InspectionFinding, make_finding
from ..platform_rules import PlatformContext, platform_check


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _judged_at(ctx: PlatformContext) -> dt.datetime:
    """Now on the current day, else the end of `as_of` (a past day's inspection)."""
    if ctx.as_of == timezone.localdate():
        return timezone.now()
    return _midnight(ctx.as_of + dt.timedelta(days=1))


@platform_check("site.outage_unannounced")
def unannounced_outages(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """An outage of the uptime window that lasted longer than `notice_within_hours` with no
    public notice (PA-04, 梅州 第27条（二）: 不能提供服务，应及时向社会公告).

    A notice is a live item of a column of `notice_column_types` on the site itself or on its
    portal (which stays up when a department site is down), whose title names one of
    `keywords`, published from `advance_days` days before the outage began (a planned
    maintenance) until `notice_within_hours` hours after it began.
    """
    spec = ctx.rulebook.rule("site.outage_unannounced")
    hours = int(spec.param("notice_within_hours"))
    advance = int(spec.param("advance_days"))
    keywords = [str(word) for word in spec.param("keywords")]
    column_types = [str(kind) for kind in spec.param("notice_column_types")]
    window = int(ctx.rulebook.rule("site.unavailable").param("window_days"))
    now = _judged_at(ctx)
    homes = [ctx.profile.site.root_page]
    portal = ctx.profile.portal
    if portal is not None and portal.pk != ctx.profile.pk:
        homes.append(portal.site.root_page)
    from .. import selectors as monitoring_selectors

    start = _midnight(ctx.as_of - dt.timedelta(days=window))
    for outage in monitoring_selectors.outages_between(ctx.profile, start=start, end=now):
        if outage.lasted(now) <= dt.timedelta(hours=hours):
            continue
        since = outage.started_at - dt.timedelta(days=advance)
        until = outage.started_at + dt.timedelta(hours=hours)
        notices = [notice for home in homes
                   for notice in content_selectors.items_of_column_types(
                       home, column_types=column_types, since=since, until=until)
                   if any(word in notice.title for word in keywords)]
        if notices:
            continue
        began = timezone.localtime(outage.started_at)
        state = (f"至 {timezone.localtime(outage.ended_at):%Y-%m-%d %H:%M} 恢复"
                 if outage.ended_at else "至今未恢复")
        yield make_finding(
            spec, url=ctx.base_url + "/", source="prober",
            evidence=(f"{ctx.profile.name}自 {began:%Y-%m-%d %H:%M} 起无法访问，{state}；"
                      f"{hours} 小时内未在{'、'.join(column_types)}栏目发布停止服务的公告"),
            message=f"网站不能提供服务超过 {hours} 小时，未及时向社会公告",
            extra={"started_at": began.isoformat(), "recovered": outage.ended_at is not None,
                   "notice_within_hours": hours})


@platform_check("site.accessibility_mark")
def accessibility_mark(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """The site's latest 适老化 / 无障碍 evaluation (PA-12): failed (below the pass line it was
    recorded with), or its 信息无障碍标识 expired or expiring within `warn_days` days (a
    warning, so the site books the next evaluation in time). With `required`, a site never
    evaluated is a finding too."""
    spec = ctx.rulebook.rule("site.accessibility_mark")
    warn_days = int(spec.param("warn_days"))
    url = ctx.base_url + "/"
    latest = sites_selectors.latest_accessibility_evaluation(ctx.profile)
    if latest is None:
        if spec.param("required"):
            yield make_finding(spec, url=url, source="database",
                               evidence=f"{ctx.profile.name}没有适老化与无障碍评测记录",
                               message="网站未进行适老化与无障碍评测", extra={"state": "none"})
        return
    shown = f"{latest.evaluated_on.isoformat()} {latest.evaluator}评测 {latest.score} 分"
    if not latest.passed:
        yield make_finding(
            spec, url=url, source="database",
            evidence=f"{shown}（满分 {latest.full_score}，{latest.pass_score} 分通过）",
            message="适老化与无障碍评测未通过", extra={"state": "failed"})
        return
    until = latest.mark_valid_until
    if until is None or ctx.as_of > until:
        yield make_finding(
            spec, url=url, source="database",
            evidence=f"{shown}，信息无障碍标识有效期至 {until}，已过期",
            message="信息无障碍标识已过有效期，应重新评测", extra={"state": "expired"})
    elif (until - ctx.as_of).days <= warn_days:
        yield make_finding(
            spec, url=url, source="database", severity="warning",
            evidence=f"{shown}，信息无障碍标识有效期至 {until.isoformat()}",
            message=f"信息无障碍标识将在 {warn_days} 天内到期，应安排重新评测",
            extra={"state": "expiring", "valid_until": until.isoformat()})


@platform_check("site.department_channel")
def department_channels(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Department channels of a portal whose rules put them at a path (ID-08 style `path`;
    ID-09 梅州 第7条: /zwgk/zfjg/<单位拼音首字母>/): a channel at another address, and a
    department of the portal's organisation with no channel under the prefix."""
    book = ctx.rulebook
    template = book.value("site.department_channel_path")
    if (ctx.profile.kind != "portal" or book.value("site.department_address_style") != "path"
            or not template or "{initials}" not in template):
        return
    spec = book.rule("site.department_channel")
    prefix = str(template).split("{initials}")[0]
    home = ctx.profile.site.root_page
    owners: set[int] = set()
    for column, _depth in content_selectors.site_column_tree(home):
        public = "/" + column.url_path[len(home.url_path):]
        if not public.startswith(prefix) or public.count("/") != prefix.count("/") + 1:
            continue
        owner = column.effective_owner()
        if owner is None or owner.pk == ctx.profile.host_organisation_id:
            continue
        owners.add(owner.pk)
        allowed = sites_registry_rules.department_channel_paths(str(template), owner)
        if public not in allowed:
            yield make_finding(
                spec, url=ctx.base_url + public, source="database",
                evidence=f"{owner.name}的频道地址为 {public}，应为 {allowed[0]}",
                message="部门频道地址不符合规定（单位名称拼音首字母）",
                extra={"organisation_id": owner.pk, "path": public, "expected": allowed[0]})
    for unit in sites_selectors.departments_of(ctx.profile.host_organisation):
        if unit.pk in owners:
            continue
        expected = sites_registry_rules.department_channel_paths(str(template), unit)[0]
        yield make_finding(
            spec, url=ctx.base_url + "/", source="database",
            evidence=f"{unit.name}在门户网站 {prefix} 下没有部门频道（应为 {expected}）",
            message="部门未在门户网站规定路径下建设频道",
            extra={"organisation_id": unit.pk, "expected": expected})


@platform_check("statistics.stale")
def statistics_release(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Statistics (国民经济和社会发展统计信息, DT-01): the newest item of a site's active columns
    of `column_types` is at most `max_age_days` days old, on sites of `site_kinds`. That such a
    column exists is CC-21's rule (数据发布 is a required column type of portals and counties)."""
    spec = ctx.rulebook.rule("statistics.stale")
    if ctx.profile.kind not in list(spec.param("site_kinds")):
        return
    types = [str(kind) for kind in spec.param("column_types")]
    max_days = int(spec.param("max_age_days"))
    columns = [c for c in content_selectors.column_freshness(ctx.profile.site.root_page)
               if c.column_type in types and c.status == "active"]
    newest = max((c.last_published_at for c in columns if c.last_published_at), default=None)
    if newest is None:
        return  # no such column (CC-21) or an empty one (column.empty) is reported there
    last = timezone.localtime(newest).date()
    if (ctx.as_of - last).days <= max_days:
        return
    shown = last.isoformat()
    yield make_finding(
        spec, url=ctx.url(columns[0].url_path), source="database",
        evidence=f"{'、'.join(c.title for c in columns)}最近发布：{shown}",
        message=f"统计数据超过 {max_days} 天未更新", extra={"state": "stale", "last": shown})
