"""Reads of operations: visit statistics per site and for the cluster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from .models import (
    DailyNotFound,
    DailyPageViews,
    DailyReferrer,
    DailySearchTerm,
    DailySiteVisits,
)
from .visitlog import COUNTERS


@dataclass(frozen=True)
class VisitTotals:
    """Sums over a period (独立访客 is the sum of daily distinct visitors: see docs)."""

    page_views: int
    unique_visitors: int
    not_found: int
    hant_views: int
    care_views: int
    mobile_views: int
    tablet_views: int
    desktop_views: int
    bot_hits: int

    def share(self, part: int) -> float:
        """part as a share of page views (0 when there were none)."""
        return part / self.page_views if self.page_views else 0.0


FIELDS = ("page_views", "unique_visitors", *[c for c in COUNTERS if c != "page_views"])


def _scope(qs: Any, site: Any | None) -> Any:
    return qs if site is None else qs.filter(site=site)


def visit_totals(*, site: Any | None, start: dt.date, end: dt.date) -> VisitTotals:
    """Totals of one site (or the whole cluster when site is None) from start to end inclusive."""
    qs = _scope(DailySiteVisits.objects.filter(day__gte=start, day__lte=end), site)
    sums = qs.aggregate(**{f: Sum(f) for f in FIELDS})
    return VisitTotals(**{f: int(sums[f] or 0) for f in FIELDS})


def daily_series(*, site: Any | None, start: dt.date, end: dt.date) -> list[tuple[dt.date, int, int]]:
    """(day, page views, unique visitors) for each day from start to end, zeros included."""
    qs = _scope(DailySiteVisits.objects.filter(day__gte=start, day__lte=end), site)
    found = {row["day"]: (row["pv"] or 0, row["uv"] or 0)
             for row in qs.values("day").annotate(pv=Sum("page_views"), uv=Sum("unique_visitors"))}
    days = (end - start).days + 1
    return [(d, *found.get(d, (0, 0))) for d in (start + dt.timedelta(n) for n in range(days))]


def _top(model: Any, key: str, value: str, *, site: Any | None, start: dt.date, end: dt.date,
         limit: int, **filters: Any) -> list[tuple[str, int]]:
    qs = _scope(model.objects.filter(day__gte=start, day__lte=end, **filters), site)
    rows = qs.values(key).annotate(n=Sum(value)).order_by("-n", key)[:limit]
    return [(row[key], int(row["n"])) for row in rows]


def top_pages(*, site: Any | None, start: dt.date, end: dt.date, limit: int = 20
              ) -> list[tuple[str, int]]:
    """The most read addresses."""
    return _top(DailyPageViews, "path", "views", site=site, start=start, end=end, limit=limit)


def top_missing(*, site: Any | None, start: dt.date, end: dt.date, limit: int = 20
                ) -> list[tuple[str, int]]:
    """The addresses most often answered 404."""
    return _top(DailyNotFound, "path", "hits", site=site, start=start, end=end, limit=limit)


def top_referrers(*, site: Any | None, start: dt.date, end: dt.date, limit: int = 20
                  ) -> list[tuple[str, int]]:
    """Outside hosts that sent the most visitors."""
    return _top(DailyReferrer, "host", "views", site=site, start=start, end=end, limit=limit)


def top_search_terms(*, site: Any | None, start: dt.date, end: dt.date, source: str,
                     limit: int = 20) -> list[tuple[str, int]]:
    """Search terms by source ('engine' or 'on_site')."""
    return _top(DailySearchTerm, "term", "count", site=site, start=start, end=end, limit=limit,
                source=source)


def site_rows(*, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per-site totals for the cluster view (site id, page views, unique visitors, 404s)."""
    rows = (DailySiteVisits.objects.filter(day__gte=start, day__lte=end).values("site_id")
            .annotate(pv=Sum("page_views"), uv=Sum("unique_visitors"), nf=Sum("not_found"))
            .order_by("-pv"))
    return [{"site_id": r["site_id"], "page_views": int(r["pv"] or 0),
             "unique_visitors": int(r["uv"] or 0), "not_found": int(r["nf"] or 0)} for r in rows]


def daily_rows(*, sites: list[Any], start: dt.date, end: dt.date) -> list[list[Any]]:
    """One row per site and day with figures: name, day, then the daily counters."""
    names = {s.pk: s.name for s in sites}
    rows = (DailySiteVisits.objects.filter(site_id__in=names, day__gte=start, day__lte=end)
            .order_by("site_id", "day"))
    return [[names[r.site_id], r.day.isoformat(), r.page_views, r.unique_visitors, r.not_found,
             r.hant_views, r.care_views, r.mobile_views, r.tablet_views, r.desktop_views,
             r.bot_hits] for r in rows]


# --- availability alerts and the incidents they open (uptime_incidents) ---


def uptime_alerts_without_incident(*, since: dt.datetime) -> list[Any]:
    """The prober's alerts since a time that no incident records yet, oldest first."""
    from govsites.monitoring.models import UptimeAlert

    from .models import SecurityIncident

    taken = SecurityIncident.objects.filter(uptime_alert__isnull=False).values("uptime_alert_id")
    return list(UptimeAlert.objects.filter(at__gte=since).exclude(pk__in=taken)
                .select_related("site__host_organisation").order_by("at", "pk"))


def first_success_after(site: Any, at: dt.datetime) -> dt.datetime | None:
    """When the site first answered a probe after a time (None: not yet)."""
    from govsites.monitoring.choices import ProbeOutcome
    from govsites.monitoring.models import UptimeProbe

    probe = (UptimeProbe.objects.filter(site=site, at__gt=at, outcome=ProbeOutcome.OK)
             .order_by("at").first())
    return probe.at if probe is not None else None


def has_open_incident(site: Any, *, source: str) -> bool:
    """Whether a site has an incident of a source not yet closed."""
    from .models import SecurityIncident

    return SecurityIncident.objects.filter(site=site, source=source,
                                           closed_at__isnull=True).exists()


# --- important items of a site, to be pushed to its 政务新媒体 (NM-05) ---

IMPORTANT = ("major", "critical")  # 重大 and 特级 (content's Importance): the 重要信息


def important_items_published(home: Any, *, since: dt.datetime) -> list[Any]:
    """Live items of a site (under its home page) marked 重大 or 特级 and first published since a
    time, oldest first (reprints of another site's item included: the site published them)."""
    from govsites.content.models import ContentItem

    return list(ContentItem.objects.live().descendant_of(home)
                .filter(importance__in=IMPORTANT, first_published_at__gte=since)
                .order_by("first_published_at", "pk"))
