"""Checks judged from the platform's own records (see platform_rules): 解读 timing (CC-10–12),
dynamic items per responsible unit (CC-23), unmaintained columns (CC-22/24), the site's
registration (ID-01/02/30)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from govsites.content import selectors as content_selectors
from govsites.core.calendar import CalendarDataMissing, add_working_days
from govsites.interaction import selectors as interaction_selectors
from govsites.sites import registry_rules
from govsites.sites import selectors as sites_selectors

from ..findings import InspectionFinding, make_finding
from ..platform_rules import PlatformContext, platform_check


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@platform_check("interpretation.missing")
def missing_interpretations(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """A 规范性文件 without a live 解读 once the variant's working days have passed (CC-10–12).

    `interpretation.max_delay_working_days` 0 is 同步发布: the 解读 is due the day the document
    goes live; 梅州 and 南通 give 3 working days.
    """
    book = ctx.rulebook
    if not book.value("interpretation.required_for_normative_documents"):
        return
    delay = int(book.value("interpretation.max_delay_working_days"))
    spec = book.rule("interpretation.missing")
    for policy in content_selectors.normative_policies(ctx.profile.site.root_page):
        published = _local_date(policy.published_at)
        if published is None or policy.first_interpretation_at is not None:
            continue
        try:
            due = add_working_days(published, delay) if delay else published
        except CalendarDataMissing:
            continue
        if ctx.as_of <= due:
            continue
        timing = "同步发布" if not delay else f"文件上网后 {delay} 个工作日内（{due.isoformat()} 前）发布"
        yield make_finding(
            spec, url=ctx.url(policy.url_path), source="database",
            evidence=f"规范性文件《{policy.title}》{published.isoformat()} 发布，没有政策解读",
            message=f"规范性文件缺少政策解读：应{timing}",
            extra={"published": published.isoformat(), "due": due.isoformat(),
                   "max_delay_working_days": delay})


@platform_check("dynamic.per_unit")
def dynamic_items_per_unit(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Each responsible unit's dynamic items in the last full week and month (CC-23, 梅州)."""
    book = ctx.rulebook
    spec = book.rule("dynamic.per_unit")
    types = list(book.value("dynamic.column_types"))
    week_start = ctx.as_of - dt.timedelta(days=ctx.as_of.weekday() + 7)
    month_end = ctx.as_of.replace(day=1)
    periods = [
        ("周", book.value("dynamic.per_unit.min_items_per_week"), week_start,
         week_start + dt.timedelta(days=7)),
        ("月", book.value("dynamic.per_unit.min_items_per_month"), months_before(month_end, 1),
         month_end),
    ]
    home = ctx.profile.site.root_page
    for word, minimum, start, end in periods:
        if minimum is None:
            continue
        for unit in content_selectors.items_by_organisation(
                home, column_types=types, since=_midnight(start), until=_midnight(end)):
            if unit.count >= int(minimum):
                continue
            shown = f"{start.isoformat()} 至 {(end - dt.timedelta(days=1)).isoformat()}"
            yield make_finding(
                spec, url=ctx.base_url + "/", source="database",
                evidence=f"{unit.name}：{shown} 发布动态信息 {unit.count} 条，要求每{word}不少于 {minimum} 条",
                message=f"单位动态信息更新不足（每{word}不少于 {minimum} 条）",
                extra={"organisation_id": unit.organisation_id, "period": word,
                       "count": unit.count, "minimum": int(minimum), "from": start.isoformat(),
                       "to": end.isoformat()})


@platform_check("column.unmaintained")
def unmaintained_columns(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Columns to merge or close: dynamic ones not updated for the variant's months (CC-24,
    梅州 1 month) and any column not updated for `column.unmaintained.after_months` (CC-22)."""
    book = ctx.rulebook
    spec = book.rule("column.unmaintained")
    dynamic_types = set(book.value("dynamic.column_types"))
    dynamic_months = book.value("column.dynamic.merge_after_months")
    any_months = book.value("column.unmaintained.after_months")
    for column in content_selectors.column_freshness(ctx.profile.site.root_page):
        if column.status != "active":
            continue
        months = any_months
        if column.column_type in dynamic_types and dynamic_months is not None:
            months = dynamic_months if months is None else min(months, dynamic_months)
        if months is None:
            continue
        last = _local_date(column.last_published_at) or _local_date(column.created_at)
        if last is None or last >= months_before(ctx.as_of, int(months)):
            continue
        yield make_finding(
            spec, url=ctx.url(column.url_path), source="database",
            evidence=f"{column.title}（{column.column_type}）最近更新 {last.isoformat()}，超过 {months} 个月",
            message=f"栏目超过 {months} 个月未更新，应归并或关闭",
            extra={"column_type": column.column_type, "last_update": last.isoformat(),
                   "months": int(months)})


@platform_check("site.registry")
def registry_rules_of_the_site(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """The site's registration against the registry rules (ID-01, ID-02, ID-30), as the
    registration form checks a new site."""
    spec = ctx.rulebook.rule("site.registry")
    others = [site for site in sites_selectors.all_sites() if site.pk != ctx.profile.pk]
    for problem in registry_rules.registry_problems(ctx.profile, value=ctx.rulebook.value,
                                                    others=others):
        yield make_finding(spec, url=ctx.base_url + "/", source="database",
                           evidence=f"{ctx.profile.name}：{problem.message}",
                           message=f"网站登记不符合规定（{problem.rule}）",
                           extra={"checklist": problem.rule, "field": problem.field})


@platform_check("probe.count")
def probe_counts(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Days of the uptime window on which the prober probed the site fewer times than the
    minimum (监测1周，每天访问20次以上; PA-02/PA-04): the uptime share of those days says less."""
    from .. import selectors as monitoring_selectors

    book = ctx.rulebook
    minimum = int(book.value("site.unavailable.min_probes_per_day"))
    window = int(book.rule("site.unavailable").param("window_days"))
    start = ctx.as_of - dt.timedelta(days=window)
    counts, first = monitoring_selectors.probe_days(ctx.profile, start=start, end=ctx.as_of)
    if first is None:
        return
    spec = book.rule("probe.count")
    for offset in range(window):
        day = start + dt.timedelta(days=offset)
        if day < first or counts.get(day, 0) >= minimum:
            continue
        yield make_finding(
            spec, url=ctx.base_url + "/", source="prober",
            evidence=f"{day.isoformat()} 探测 {counts.get(day, 0)} 次，少于每天 {minimum} 次",
            message=f"可用性探测次数不足（每天不少于 {minimum} 次）",
            extra={"day": day.isoformat(), "probes": counts.get(day, 0), "minimum": minimum})


@platform_check("content.flagged_overdue")
def overdue_flags(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Sensitive content a 监管员 asked the site to remove that is still there past its deadline
    (RS-16, 梁平 1 working day): the notice is an open `content.flagged` 整改单."""
    from .. import selectors as monitoring_selectors

    spec = ctx.rulebook.rule("content.flagged_overdue")
    for ticket in monitoring_selectors.overdue_tickets(ctx.as_of).filter(
            site=ctx.profile, rule_id="content.flagged"):
        yield make_finding(
            spec, url=ticket.url, source="database",
            evidence=f"整改单 #{ticket.pk}：{ticket.evidence}（期限 {ticket.deadline.isoformat()}）",
            message="主管单位通知删除的敏感信息超期未删除",
            extra={"ticket": ticket.pk, "deadline": ticket.deadline.isoformat()})


@platform_check("interaction.unanswered")
def unanswered_enquiries(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """A valid message of the last year unanswered for more than three months (IA-02, 单项否决)."""
    spec = ctx.rulebook.rule("interaction.unanswered")
    max_days = int(spec.param("max_unanswered_days"))
    window_days = int(spec.param("window_days"))
    for item in interaction_selectors.unanswered_too_long(
            ctx.profile, as_of=ctx.as_of, max_days=max_days, window_days=window_days):
        state = f"{item.replied.isoformat()} 才答复" if item.replied else "至今未答复"
        yield make_finding(
            spec, url=ctx.base_url + "/interact/", source="database",
            evidence=f"{item.mailbox} 留言 {item.query_code}：{item.received.isoformat()} 收到，{state}",
            message=f"留言超过 {max_days} 天未答复（{item.days} 天，数据库）",
            extra={"query_code": item.query_code, "days": item.days, "limit_days": max_days})


@platform_check("site.conac_mark_overdue")
def conac_mark_overdue(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """The site was told to hang its 党政机关网站标识 and has not, once the working days have
    passed (ID-15: 5 working days after the notice)."""
    status = content_selectors.conac_mark_status(ctx.profile.site)
    if status.notified_on is None or status.hung:
        return
    days = int(ctx.rulebook.value("site.conac_mark.hang_within_working_days"))
    try:
        due = add_working_days(status.notified_on, days)
    except CalendarDataMissing:
        return
    if ctx.as_of <= due:
        return
    yield make_finding(
        ctx.rulebook.rule("site.conac_mark_overdue"), url=ctx.base_url + "/", source="database",
        evidence=(f"{status.notified_on.isoformat()} 收到悬挂通知，{due.isoformat()} 前应悬挂，"
                  "至今未登记标识"),
        message=f"党政机关网站标识超期未悬挂（收到通知后 {days} 个工作日内）",
        extra={"notified_on": status.notified_on.isoformat(), "due": due.isoformat(),
               "working_days": days})


@platform_check("content.repost_overdue")
def overdue_reposts(ctx: PlatformContext) -> Iterator[InspectionFinding]:
    """Important policy items of the site's upstream portals (本级和上级门户网站, in the cluster or
    from a configured feed) not reposted within `repost.upstream_max_hours` (CC-30: 丹东、亳州
    12 hours; national 及时, no number, so nothing is overdue). Judged as of now on the current
    day, else at the end of `as_of`."""
    from ..reposting import missing_reposts

    moment = _midnight(ctx.as_of + dt.timedelta(days=1))
    if ctx.as_of == timezone.localdate():
        moment = timezone.now()
    spec = ctx.rulebook.rule("content.repost_overdue")
    for due in missing_reposts(ctx.profile, now=moment, rulebook=ctx.rulebook):
        if not due.overdue(moment) or due.due is None:
            continue
        published = timezone.localtime(due.item.published_at)
        yield make_finding(
            spec, url=due.item.url, source="database",
            evidence=(f"{due.item.source}《{due.item.title}》{published:%Y-%m-%d %H:%M} 发布，"
                      f"{ctx.profile.name}至今未转载"),
            message=f"上级或本级门户网站的重要政策信息超过 {due.max_hours} 小时未转载",
            extra={"upstream": due.item.key, "published": published.isoformat(),
                   "due": timezone.localtime(due.due).isoformat(), "max_hours": due.max_hours})


# registers the issue 17 checks and the 国密 check (RS-22)
from . import obligation_checks, security_checks  # noqa: E402,F401
