"""Admin wiring: 搜索统计 under 报告, and synonyms and best bets as editable snippets."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, policies
from .models import BestBet, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "同义词"
    list_display = ["terms", "site"]
    panels = [FieldPanel("terms"), FieldPanel("site")]


class BestBetViewSet(SnippetViewSet):
    model = BestBet
    icon = "pick"
    menu_label = "推荐结果"
    list_display = ["query", "page", "site", "sort_order"]
    panels = [FieldPanel("query"), FieldPanel("page"), FieldPanel("site"), FieldPanel("sort_order")]


register_snippet(SynonymViewSet)
register_snippet(BestBetViewSet)


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [path("search/statistics/", admin_views.statistics, name="search_statistics")]


class _StatisticsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return policies.can_view_statistics(request.user)


@hooks.register("register_reports_menu_item")
def register_statistics_menu() -> MenuItem:
    return _StatisticsMenuItem("搜索统计", reverse("search_statistics"), icon_name="search",
                               order=900)
