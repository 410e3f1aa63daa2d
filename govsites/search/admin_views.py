"""Admin: search statistics (top queries, zero-result queries, click-through) by period and site."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import policies, selectors

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}


def statistics(request: HttpRequest) -> HttpResponse:
    """Top and zero-result queries with click-through for a period (days) and a site."""
    if not policies.can_view_statistics(request.user):
        raise PermissionDenied
    from govsites.sites.selectors import all_sites

    days = PERIODS.get(request.GET.get("days", "30"), 30)
    until = timezone.localdate()
    since = until - dt.timedelta(days=days - 1)
    sites = list(all_sites())
    site_id: int | None = None
    raw = request.GET.get("site", "")
    if raw.isdigit():
        site_id = int(raw)
    return render(request, "search/admin/statistics.html", {
        "days": days, "since": since, "until": until, "sites": sites, "site_id": site_id,
        "periods": PERIODS,
        "top": selectors.query_report(since=since, until=until, site_id=site_id),
        "zero": selectors.query_report(since=since, until=until, site_id=site_id,
                                       zero_only=True),
        "index_size": selectors.index_size(),
    })
