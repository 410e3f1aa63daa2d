"""Admin page 转载监测 (CC-30): each important upstream item of the watch window and the sites
that have not reposted it, with the deadline of the rule data in force for each site."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import policies
from .reposting import repost_watch


def repost_watch_view(request: HttpRequest) -> HttpResponse:
    """The watch for the sites the user supervises; 404 for anyone who sees none."""
    sites = policies.sites_for_repost_watch(request.user)
    if not sites:
        raise Http404
    now = timezone.now()
    rows = []
    for row in repost_watch(now=now, sites=policies.all_online_sites()):
        mine = [due for due in row.missing if due.site in sites]
        if mine:
            rows.append({"item": row.item, "missing": mine,
                         "overdue": [due for due in mine if due.overdue(now)]})
    return TemplateResponse(request, "monitoring/admin/repost_watch.html",
                            {"rows": rows, "now": now, "site_count": len(sites)})


class RepostWatchMenuItem(MenuItem):
    """Shown only to those who supervise a site: the page answers 404 to everyone else."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(policies.sites_for_repost_watch(request.user))


class RepostWatchViewSet(ViewSet):
    """The menu entry 转载监测 in 站点监测."""

    menu_label = _("转载监测")
    icon = "repeat"
    menu_item_class = RepostWatchMenuItem

    def get_urlpatterns(self) -> list[Any]:
        return [path("", repost_watch_view, name="index")]
