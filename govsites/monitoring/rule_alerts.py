"""Writes for the rules judged from the platform's records (platform_rules): the platform's own
alerts (整改单 for what the daily job finds) and sensitive-content notices (RS-16).

Kept apart from services.py for size; services re-exports them, and they use its ticket
helpers, so an alert, an inspection's ticket and a notice are the same kind of 整改单.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit as core_audit
from govsites.core.calendar import add_working_days

from . import audit as monitoring_audit
from . import netguard, policies, prober
from . import selectors as monitoring_selectors
from .choices import TicketStatus
from .findings import InspectionFinding
from .httpclient import HttpClient
from .models import Ticket
from .platform_rules import PlatformContext, platform_findings, platform_findings_for
from .rulebook import load_rulebook
from .services import FLAGGED_RULE, _open, recheck_ticket


def flag_sensitive_content(*, site: Any, url: str, reason: str, acting_user: Any,
                           today: dt.date | None = None) -> Ticket:
    """A 监管员 notifies a site that a page carries sensitive content to remove (RS-16).

    Opens a 整改单 due in `tickets.sensitive_deadline_working_days` working days (梁平: 1), else
    the ordinary ticket deadline; the clock starts now. It closes when a re-check finds the page
    gone (404/410); an overdue one is reported by the platform checks (`content.flagged_overdue`).
    Raises PermissionDenied for anyone but a supervisor of the site, ValidationError for a
    missing reason or an address outside the site; nothing is stored then.
    """
    if not policies.can_flag_sensitive(acting_user, site):
        raise PermissionDenied("只有负责监管该网站的监管员可以通知删除敏感信息")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请说明敏感信息的内容和删除理由。"})
    owner = monitoring_selectors.site_for_url(url)
    if owner is None or owner.pk != site.pk:
        raise ValidationError({"url": "该地址不属于所选网站。"})
    today = today or timezone.localdate()
    rulebook = load_rulebook(site=site)
    days = rulebook.value("tickets.sensitive_deadline_working_days")
    deadline = add_working_days(today, int(days if days is not None
                                           else rulebook.ticket_deadline_working_days))
    finding = InspectionFinding(rule_id=FLAGGED_RULE, url=url, evidence=reason[:1000],
                                severity="serious", veto=False,
                                message="主管单位通知删除的敏感信息", source="supervisor")
    with transaction.atomic():
        opened = _open(findings=[finding], organisation=site.host_organisation, site=site,
                       inspection=None, acting_user=acting_user, today=today, deadline=deadline)
    if not opened:
        raise ValidationError({"url": "该页面已有同一理由的待整改通知。"})
    return opened[0]


def raise_platform_alerts(*, site: Any, as_of: dt.date | None = None,
                          rule_ids: Iterable[str] | None = None) -> list[Ticket]:
    """Open 整改单 for what the platform's own records show about one site (platform_rules).

    The findings are those the inspector's platform mode reports for the site, computed by the
    same functions with the same rule data (the site's variant and overrides), so an alert and
    an inspection never disagree. A finding an open ticket already covers opens none.
    """
    as_of = as_of or timezone.localdate()
    rulebook = load_rulebook(site=site)
    findings = platform_findings(site, base_url=prober.probe_url(site), rulebook=rulebook,
                                 as_of=as_of)
    if rule_ids is not None:
        wanted = set(rule_ids)
        findings = [f for f in findings if f.rule_id in wanted]
    if not findings:
        return []
    deadline = add_working_days(as_of, rulebook.ticket_deadline_working_days)
    with transaction.atomic():
        return _open(findings=findings, organisation=site.host_organisation, site=site,
                     inspection=None, acting_user=None, today=as_of, deadline=deadline)


def raise_all_platform_alerts(*, as_of: dt.date | None = None) -> int:
    """Run the platform's own checks on every online site; return the tickets opened."""
    return sum(len(raise_platform_alerts(site=profile, as_of=as_of))
               for profile in monitoring_selectors.online_sites())


def follow_sensitive_flags(*, as_of: dt.date | None = None,
                           client: HttpClient | None = None) -> dict[str, int]:
    """Re-check every open sensitive-content notice (closed once the page is gone), then raise a
    整改单 for each one still there past its deadline (RS-16). Run every hour."""
    closed = 0
    for ticket in Ticket.objects.filter(status=TicketStatus.OPEN, rule_id=FLAGGED_RULE):
        try:
            if recheck_ticket(ticket=ticket, client=client).status == TicketStatus.CLOSED:
                closed += 1
        except netguard.TargetNotAllowed:
            continue
    sites = {t.site for t in monitoring_selectors.overdue_tickets(as_of).filter(
        rule_id=FLAGGED_RULE) if t.site is not None}
    raised = sum(len(raise_platform_alerts(site=site, as_of=as_of,
                                           rule_ids=["content.flagged_overdue"]))
                 for site in sites)
    return {"closed": closed, "overdue": raised}


def platform_recheck(ticket: Ticket, as_of: dt.date | None = None) -> tuple[bool, str]:
    """Re-run a platform check on the ticket's site: closed when its finding is gone."""
    if ticket.site is None:
        return False, "整改单不属于平台登记的网站，无法按平台记录复查"
    ctx = PlatformContext(profile=ticket.site, base_url=prober.probe_url(ticket.site).rstrip("/"),
                          rulebook=load_rulebook(site=ticket.site),
                          as_of=as_of or timezone.localdate())
    for finding in platform_findings_for(ticket.rule_id, ctx):
        if finding.url == ticket.url and finding.evidence[:1000] == ticket.evidence:
            return False, f"问题仍然存在：{finding.message}"
    return True, "按平台记录复查，未发现该问题"


def _months_before(day: dt.date, months: int) -> dt.date:
    from .checks.platform_checks import months_before

    return months_before(day, months)


def request_scheduled_inspections(*, today: dt.date | None = None) -> list[Any]:
    """Queue the full inspections the rule data's cadence makes due (IS-13/14/16).

    A site is due when no inspection of it was requested or run within its cadence
    (`inspection.cadence_months`: every quarter nationally, monthly 丹东/亳州/南通), or within a
    day when the variant asks for a daily patrol (`inspection.daily_patrol`). Each queued
    inspection runs like 立即检查 (its serious findings open 整改单); returns them.
    """
    from .services import request_inspection

    today = today or timezone.localdate()
    queued = []
    for site in monitoring_selectors.online_sites():
        rulebook = load_rulebook(site=site)
        since = (today - dt.timedelta(days=1) if rulebook.value("inspection.daily_patrol")
                 else _months_before(today, int(rulebook.value("inspection.cadence_months"))))
        start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
        if monitoring_selectors.inspected_since(site, start):
            continue
        queued.append(request_inspection(site=site, acting_user=None))
    return queued


def issue_bulletin(*, today: dt.date | None = None) -> Path | None:
    """Write the 通报 of the cadence period that ended (the cluster report of its last month).

    Periods follow the cluster's `inspection.cadence_months` from January (quarterly: January,
    April, July, October). The file lands in MEDIA_ROOT/monitoring/通报 once per period (audited
    `monitoring.bulletin.issue`); returns its path, or None when no period ended or it exists.
    Where `inspection.results_published` is on (丹东 第37条, 梅州 第38条), its summary is also
    published on the portal, an item of the 通知公告 column (IS-14).
    """
    from django.conf import settings

    from govsites.core import audit as core_audit

    from . import audit, reports

    today = today or timezone.localdate()
    rulebook = load_rulebook()
    cadence = int(rulebook.value("inspection.cadence_months"))
    if (today.month - 1) % cadence:
        return None
    last = today.replace(day=1) - dt.timedelta(days=1)
    folder = Path(settings.MEDIA_ROOT) / "monitoring" / "通报"
    target = folder / f"通报-{last.year}-{last.month:02d}.html"
    if target.exists():
        return None
    sites = list(monitoring_selectors.online_sites())
    from .checks.platform_checks import months_before

    sample = period_sample(sites, first_month=months_before(last.replace(day=1), cadence - 1),
                           end=last + dt.timedelta(days=1), rulebook=rulebook)
    html = reports.render_cluster_month(sites, last.year, last.month, sample=sample)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    page = None
    if rulebook.value("inspection.results_published"):  # IS-14: 丹东/梅州 公开检查结果
        page = _publish_bulletin(sample, last)
    core_audit.record(action=audit.BULLETIN_ISSUE, actor=None, obj=None,
                      details={"period_end": last.isoformat(), "file": target.name,
                               "cadence_months": cadence, "inspected": len(sample.inspected),
                               "online": sample.online, "share": round(sample.share, 4),
                               "required_share": sample.required_share,
                               "page": page.pk if page is not None else None})
    if sample.short:
        _notify_sample_short(sample, target.name)
    return target


def _publish_bulletin(sample: PeriodSample, last: dt.date) -> Any:
    """The 通报's summary as an article of the portal's 通知公告 column (IS-14)."""
    from .bulletin_portal import publish_on_portal

    first = sample.start
    period = (f"{last.year}年{last.month}月" if (first.year, first.month) == (last.year, last.month)
              else f"{first.year}年{first.month}月至{last.year}年{last.month}月")
    reached = "未达到抽查比例" if sample.short else "已达到抽查比例"
    summary = (f"{period}，对政府网站开展全面检查：检查在线网站 {len(sample.inspected)} 个，"
               f"占在线网站 {sample.online} 个的 {sample.share:.0%}（抽查比例不低于 "
               f"{sample.required_share:.0%}），{reached}。")
    names = "、".join(str(site) for site in sample.inspected)
    paragraphs = [f"本期检查的网站：{names}。"] if names else []
    return publish_on_portal(title=f"关于{period}政府网站检查情况的通报", summary=summary,
                             paragraphs=paragraphs, slug=f"tb-{last.year}-{last.month:02d}")


def remind_overdue_self_checks(*, today: dt.date | None = None) -> list[Any]:
    """Remind each online site's administrators when its own 自查 is overdue (IS-14).

    A site whose rule data sets `inspection.self_check_months` (亳州: 每月自查) must run an
    inspection itself (立即检查 by one of its people, not the platform's scheduled one) within
    that many months; when none was requested since, its 站点管理员 are told (once a day while
    overdue, through the notification channels). Returns the overdue sites.
    """
    from govsites.accounts.roles import Role
    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    from .choices import InspectionStatus
    from .models import Inspection

    today = today or timezone.localdate()
    overdue = []
    for site in monitoring_selectors.online_sites():
        months = load_rulebook(site=site).value("inspection.self_check_months")
        if not months:
            continue
        since = _months_before(today, int(months))
        start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
        if (Inspection.objects.filter(site=site, requested_by__isnull=False,
                                      requested_at__gte=start)
                .exclude(status=InspectionStatus.FAILED).exists()):
            continue
        overdue.append(site)
        notifications.notify(notice=notifications.Notice(
            kind="monitoring.self_check_overdue", item_key=f"{site.pk}/{since.isoformat()}",
            subject=f"自查逾期：{site} 已超过 {int(months)} 个月未自查",
            body=(f"按规定每 {int(months)} 个月应对本网站自查一次；自 {since.isoformat()} 起"
                  f"没有发起过自查。请在“网站检查”中发起立即检查。")),
            recipients=users_with_role(Role.SITE_ADMIN, site.host_organisation))
    return overdue


@dataclass(frozen=True)
class PeriodSample:
    """How many online sites a checking period inspected, against the sampling share (IS-13)."""

    start: dt.date
    end: dt.date  # exclusive
    inspected: list[Any]
    online: int
    required_share: float

    @property
    def share(self) -> float:
        return len(self.inspected) / self.online if self.online else 1.0

    @property
    def short(self) -> bool:
        return self.share < self.required_share


def period_sample(sites: list[Any], *, first_month: dt.date, end: dt.date,
                  rulebook: Any) -> PeriodSample:
    """The sites of `sites` inspected in [first_month, end), against
    `inspection.sampling_share` (各地区各部门每季度检查，抽查比例不低于30%: IS-13)."""
    def moment(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    inspected = monitoring_selectors.sites_inspected_between(sites, moment(first_month),
                                                             moment(end))
    required = float(rulebook.value("inspection.sampling_share"))
    return PeriodSample(start=first_month, end=end, inspected=inspected, online=len(sites),
                        required_share=required)


def _notify_sample_short(sample: PeriodSample, bulletin: str) -> None:
    """Tell the platform's administrators that the period inspected too few sites."""
    from govsites.accounts.roles import Role
    from govsites.accounts.selectors import users_with_role_anywhere
    from govsites.core import notifications

    last_day = (sample.end - dt.timedelta(days=1)).isoformat()
    notifications.notify(notice=notifications.Notice(
        kind="monitoring.sample_short", item_key=f"{sample.start.isoformat()}/{last_day}",
        subject=f"检查覆盖不足：本期只检查了 {len(sample.inspected)}/{sample.online} 个网站",
        body=(f"{sample.start.isoformat()} 至 {last_day} 检查了 {len(sample.inspected)} 个在线"
              f"网站，占 {sample.share:.0%}，低于抽查比例 {sample.required_share:.0%}。"
              f"详见通报 {bulletin}。")),
        recipients=users_with_role_anywhere(Role.PLATFORM_ADMIN))


def raise_overdue_reposts(*, as_of: dt.date | None = None) -> int:
    """Open a 整改单 for each important upstream item an online site has not reposted in time
    (CC-30, `content.repost_overdue`); return how many were opened. Run every hour."""
    return sum(len(raise_platform_alerts(site=site, as_of=as_of,
                                         rule_ids=["content.repost_overdue"]))
               for site in monitoring_selectors.online_sites())


def fetch_upstream_feeds(*, transport: Any = None,
                         now: dt.datetime | None = None) -> dict[str, Any]:
    """Read every configured feed and keep its new entries (one audit record per run that
    stored any). An entry without a date counts from when it was first seen. A feed that cannot
    be read is reported in the result and changes nothing."""
    from .models import UpstreamEntry
    from .reposting import FeedError, configured_feeds, read_feed

    now = now or timezone.now()
    read: dict[str, tuple[str, list[Any]]] = {}
    errors: dict[str, str] = {}
    for name, url in configured_feeds().items():  # no transaction is held while fetching
        try:
            read[name] = (url, read_feed(url, transport=transport))
        except FeedError as exc:
            errors[name] = str(exc)
    added: list[str] = []
    with transaction.atomic():
        for name, (url, entries) in read.items():
            known = set(UpstreamEntry.objects.filter(
                link__in=[e.link for e in entries]).values_list("link", flat=True))
            for entry in entries:
                if entry.link in known:
                    continue
                known.add(entry.link)
                UpstreamEntry.objects.create(
                    feed_name=name[:100], feed_url=url[:500], title=entry.title[:300],
                    link=entry.link[:500], document_number=entry.document_number[:60],
                    published_at=min(entry.published_at or now, now), seen_at=now)
                added.append(entry.link)
        if added:
            core_audit.record(action=monitoring_audit.UPSTREAM_FETCH, actor=None, obj=None,
                              details={"added": len(added), "errors": errors})
    return {"added": len(added), "errors": errors}
