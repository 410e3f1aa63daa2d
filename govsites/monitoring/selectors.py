"""Reads for monitoring: tickets, uptime history, inspections, and which registered site a host is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.utils import timezone

from govsites.sites import selectors as site_selectors

from .choices import InspectionStatus, ProbeOutcome, TicketStatus
from .models import Inspection, Ticket, UptimeAlert, UptimeProbe


def overdue_tickets(today: dt.date | None = None) -> QuerySet[Ticket]:
    """Open tickets whose deadline has passed (问题销号 not done in time), oldest deadline first."""
    today = today or timezone.localdate()
    return (Ticket.objects.filter(status=TicketStatus.OPEN, deadline__lt=today)
            .select_related("organisation", "site").order_by("deadline", "pk"))


def open_tickets(*, organisation: Any = None) -> QuerySet[Ticket]:
    """Open tickets, optionally of one organisation."""
    qs = Ticket.objects.filter(status=TicketStatus.OPEN).select_related("organisation", "site")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("deadline", "pk")


def open_ticket_for(*, site: Any, rule_id: str, url: str, evidence: str) -> Ticket | None:
    """The open ticket already covering this finding, if any (no duplicate tickets)."""
    return Ticket.objects.filter(site=site, rule_id=rule_id, url=url, evidence=evidence,
                                 status=TicketStatus.OPEN).first()


def open_tickets_by_finding(site: Any) -> dict[tuple[str, str, str], int]:
    """The open tickets of a site by (rule id, address, evidence): which findings are covered."""
    if site is None:
        return {}
    rows = Ticket.objects.filter(site=site, status=TicketStatus.OPEN).order_by("pk")
    return {(rule_id, url, evidence): pk for pk, rule_id, url, evidence
            in rows.values_list("pk", "rule_id", "url", "evidence")}


@dataclass(frozen=True)
class UptimeShare:
    """The rolling failure share of a site's probes over a window (skipped probes excluded)."""

    probes: int
    failures: int
    skipped: int
    window_days: int

    @property
    def share(self) -> float | None:
        return self.failures / self.probes if self.probes else None


def uptime_share(site: Any, *, window_days: int = 7, now: dt.datetime | None = None) -> UptimeShare:
    """Count probes and failures of a site in the last `window_days` days."""
    now = now or timezone.now()
    rows = UptimeProbe.objects.filter(site=site, at__gt=now - dt.timedelta(days=window_days),
                                      at__lte=now)
    counts = {o: rows.filter(outcome=o).count() for o in ProbeOutcome.values}
    probes = counts[ProbeOutcome.OK] + counts[ProbeOutcome.FAILED]
    return UptimeShare(probes, counts[ProbeOutcome.FAILED], counts[ProbeOutcome.SKIPPED],
                       window_days)


def probes_between(site: Any, start: dt.datetime, end: dt.datetime) -> QuerySet[UptimeProbe]:
    """A site's probes in [start, end), oldest first."""
    return UptimeProbe.objects.filter(site=site, at__gte=start, at__lt=end).order_by("at")


def probe_days(site: Any, *, start: dt.date, end: dt.date) -> tuple[dict[dt.date, int], dt.date | None]:
    """Probes that reached a verdict (ok or failed) per local day in [start, end), and the day
    of the site's first probe ever (None when never probed)."""
    counts: dict[dt.date, int] = {}
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    until = timezone.make_aware(dt.datetime.combine(end, dt.time()))
    rows = (UptimeProbe.objects.filter(site=site, at__gte=since, at__lt=until)
            .exclude(outcome=ProbeOutcome.SKIPPED).values_list("at", flat=True))
    for at in rows:
        day = timezone.localtime(at).date()
        counts[day] = counts.get(day, 0) + 1
    first = UptimeProbe.objects.filter(site=site).order_by("at").values_list("at", flat=True).first()
    return counts, (timezone.localtime(first).date() if first is not None else None)


def last_alert_level(site: Any, *, since: dt.datetime) -> float:
    """The highest alert line a site crossed since a time (0 when none)."""
    alert = UptimeAlert.objects.filter(site=site, at__gte=since).order_by("-level").first()
    return alert.level if alert else 0.0


def inspections_between(site: Any, start: dt.datetime, end: dt.datetime) -> QuerySet[Inspection]:
    """A site's finished inspections started in [start, end), oldest first."""
    return Inspection.objects.filter(site=site, status=InspectionStatus.DONE, started_at__gte=start,
                                     started_at__lt=end).order_by("started_at")


def sites_inspected_between(sites: list[Any], start: dt.datetime,
                            end: dt.datetime) -> list[Any]:
    """Those of `sites` with a finished inspection started in [start, end) (IS-13's sample)."""
    done = set(Inspection.objects.filter(
        site__in=sites, status=InspectionStatus.DONE, started_at__gte=start,
        started_at__lt=end).values_list("site_id", flat=True))
    return [site for site in sites if site.pk in done]


def inspected_since(site: Any, start: dt.datetime) -> bool:
    """Whether an inspection of the site was requested or run since `start` (and did not fail)."""
    return (Inspection.objects.filter(site=site)
            .exclude(status=InspectionStatus.FAILED)
            .filter(Q(requested_at__gte=start) | Q(started_at__gte=start)).exists())


def tickets_opened_between(site: Any, start: dt.date, end: dt.date) -> QuerySet[Ticket]:
    """Tickets of a site opened in [start, end)."""
    return Ticket.objects.filter(site=site, opened_on__gte=start, opened_on__lt=end)


def site_for_url(url: str) -> Any:
    """Return the registered SiteProfile serving a URL's host (registry domain or Wagtail hostname)."""
    host = (urlsplit(url).hostname or "").lower()
    port = urlsplit(url).port
    for profile in site_selectors.all_sites():
        if profile.domain.lower() == host:
            return profile
        wagtail_site = profile.site
        if wagtail_site.hostname.lower() == host and (port is None or wagtail_site.port == port
                                                       or wagtail_site.port == 80):
            return profile
    return None


def online_sites() -> list[Any]:
    """Registered sites that should be up (status 正常运行)."""
    return [p for p in site_selectors.all_sites() if p.status == "online"]


def storage_unavailable_reason(using: str = "default") -> str:
    """Say why inspections cannot be stored in the database ("" when they can).

    The inspector of an external site needs no database; the `inspect` command asks this first
    so that an installation that was never migrated inspects anyway and says what to run.
    """
    from django.db import DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[using])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"无法连接数据库（{exc}）"
    if plan:
        return f"数据库尚未初始化（还有 {len(plan)} 个迁移未执行）"
    return ""


@dataclass(frozen=True)
class Outage:
    """A period the prober found a site failing: from an availability alert to the first
    successful probe after it (None: still failing)."""

    started_at: dt.datetime
    ended_at: dt.datetime | None

    def lasted(self, now: dt.datetime) -> dt.timedelta:
        return (self.ended_at or now) - self.started_at


def outages_between(site: Any, *, start: dt.datetime, end: dt.datetime) -> list[Outage]:
    """The outages of a site that began in [start, end), oldest first; alerts raised while an
    outage was still going on belong to it."""
    outages: list[Outage] = []
    for alert in UptimeAlert.objects.filter(site=site, at__gte=start, at__lt=end).order_by("at"):
        if outages and (outages[-1].ended_at is None or alert.at < outages[-1].ended_at):
            continue
        back = (UptimeProbe.objects.filter(site=site, at__gt=alert.at, outcome=ProbeOutcome.OK)
                .order_by("at").values_list("at", flat=True).first())
        outages.append(Outage(started_at=alert.at, ended_at=back))
    return outages
