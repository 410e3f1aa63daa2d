"""Admin wiring of the disclosure app: the 信息公开 menu (依申请公开, 年度报告, 统计, 公开主体)
and a dashboard panel with open and overdue cases."""

from __future__ import annotations

from typing import Any

from django.forms import Select
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import notices, policies, selectors
from .choices import RequestState
from .models import NoticeTemplate


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [path("disclosure/", include("govsites.disclosure.admin_urls"))]


class DisclosureMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return policies.can_use_disclosure_admin(request.user)


class DisclosureSubmenu(SubmenuMenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return policies.can_use_disclosure_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_menu() -> MenuItem:
    menu = Menu(items=[
        DisclosureMenuItem("依申请公开", reverse("govsites_disclosure:cases"), icon_name="mail",
                           order=10),
        DisclosureMenuItem("年度报告", reverse("govsites_disclosure:reports"), icon_name="doc-full",
                           order=20),
        DisclosureMenuItem("统计", reverse("govsites_disclosure:statistics"), icon_name="table",
                           order=30),
        DisclosureMenuItem("公开主体", reverse("govsites_disclosure:bodies"), icon_name="group",
                           order=40),
    ])
    return DisclosureSubmenu("信息公开", menu, icon_name="mail", order=450)


class DisclosurePanel(Component):
    """Dashboard: cases by state as bars (the chart), with the overdue count."""

    name = "disclosure"
    order = 150
    template_name = "disclosure/admin/dashboard_panel.html"

    def __init__(self, stats: selectors.CaseStatistics, overdue: int) -> None:
        self.stats = stats
        self.overdue = overdue

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        top = max(self.stats.by_state.values() or [1])
        bars = [(str(RequestState(k).label), v, int(100 * v / top))
                for k, v in sorted(self.stats.by_state.items())]
        return {"stats": self.stats, "overdue": self.overdue, "bars": bars,
                "url": reverse("govsites_disclosure:cases")}


@hooks.register("construct_homepage_panels")
def add_panel(request: HttpRequest, panels: list[Any]) -> None:
    if not policies.can_use_disclosure_admin(request.user):
        return
    bodies = policies.bodies_for(request.user)
    if not bodies.exists():
        return
    stats = selectors.statistics(bodies)
    overdue = selectors.overdue_cases(selectors.cases(bodies), today=timezone.localdate()).count()
    panels.append(DisclosurePanel(stats, overdue))


class NoticeTemplateViewSet(SnippetViewSet):
    """告知书模板: one per result group, for every body or one body (edited in 片段)."""

    model = NoticeTemplate
    icon = "doc-full"
    menu_label = "告知书模板"
    add_to_admin_menu = False
    list_display = ["title", "result_group", "body"]
    panels = [
        FieldPanel("body"),
        FieldPanel("result_group", widget=Select(choices=[
            (key, title) for key, title in notices.GROUP_TITLES.items()])),
        FieldPanel("title"),
        FieldPanel("text"),
    ]


register_snippet(NoticeTemplateViewSet)
