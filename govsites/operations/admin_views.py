"""Admin: the visit statistics dashboard (访问统计) per site and for the cluster, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import policies, selectors

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


def _scope(request: HttpRequest) -> tuple[Any, list[Any], int, dt.date, dt.date]:
    """(site or None for the cluster, visible sites, days, start, end) from the query string."""
    if not policies.has_operations_role(request.user):
        raise PermissionDenied
    sites = list(policies.visible_sites(request.user))
    raw = request.GET.get("site", "")
    site = None
    if raw.isdigit():
        site = policies.get_site_for(user=request.user, site_id=int(raw))
    elif not policies.sees_whole_cluster(request.user):
        if not sites:
            raise PermissionDenied
        site = sites[0]
    days = PERIODS.get(request.GET.get("days", "30"), 30)
    end = timezone.localdate()
    return site, sites, days, end - dt.timedelta(days=days - 1), end


def visits_dashboard(request: HttpRequest) -> HttpResponse:
    """Visits of one site or the cluster over a period: trend, shares, top lists."""
    site, sites, days, start, end = _scope(request)
    totals = selectors.visit_totals(site=site, start=start, end=end)
    series = selectors.daily_series(site=site, start=start, end=end)
    names = {s.pk: s.name for s in sites}
    per_site = ([{**row, "name": names.get(row["site_id"], "")}
                 for row in selectors.site_rows(start=start, end=end)
                 if row["site_id"] in names] if site is None else [])
    devices = [("电脑", totals.desktop_views), ("手机", totals.mobile_views),
               ("平板", totals.tablet_views)]
    chart_data = {
        "days": [d.isoformat() for d, _, _ in series],
        "page_views": [pv for _, pv, _ in series],
        "unique_visitors": [uv for _, _, uv in series],
        "devices": [{"name": n, "value": v} for n, v in devices],
    }
    return render(request, "operations/admin/visits.html", {
        "site": site, "sites": sites, "days": days, "periods": PERIODS, "start": start,
        "end": end, "totals": totals, "per_site": per_site, "chart_data": chart_data,
        "devices": devices, "cluster": policies.sees_whole_cluster(request.user),
        "shares": [("繁体", totals.share(totals.hant_views)),
                   ("适老化模式", totals.share(totals.care_views)),
                   ("手机", totals.share(totals.mobile_views)),
                   ("平板", totals.share(totals.tablet_views))],
        "top_pages": selectors.top_pages(site=site, start=start, end=end),
        "referrers": selectors.top_referrers(site=site, start=start, end=end),
        "engine_terms": selectors.top_search_terms(site=site, start=start, end=end,
                                                   source="engine"),
        "site_terms": selectors.top_search_terms(site=site, start=start, end=end,
                                                 source="on_site"),
        "missing": selectors.top_missing(site=site, start=start, end=end),
    })


def visits_csv(request: HttpRequest) -> HttpResponse:
    """The daily figures of the dashboard's scope as CSV (UTF-8 with BOM, for spreadsheets)."""
    site, sites, _days, start, end = _scope(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    label = site.domain if site is not None else "cluster"
    response["Content-Disposition"] = f'attachment; filename="visits-{label}-{start}-{end}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["网站", "日期", "浏览量", "独立访客", "404次数", "繁体浏览量", "适老化浏览量",
                     "手机浏览量", "平板浏览量", "电脑浏览量", "爬虫请求"])
    for row in selectors.daily_rows(sites=[site] if site is not None else sites,
                                    start=start, end=end):
        writer.writerow(row)
    return response
