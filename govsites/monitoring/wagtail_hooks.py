"""Admin wiring: 站点监测 — tickets (with the overdue list), inspections, probes and alerts."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button

from . import admin_views, policies
from .choices import TicketStatus
from .models import Inspection, Ticket, UptimeAlert, UptimeProbe


@hooks.register("register_admin_urls")
def register_recheck_url() -> list[Any]:
    return [path("monitoring/tickets/<int:ticket_id>/recheck/", admin_views.ticket_recheck,
                 name="monitoring_ticket_recheck")]


def _offers_recheck(user: Any, ticket: Ticket) -> bool:
    return ticket.status == TicketStatus.OPEN and policies.can_recheck_ticket(user, ticket)


class TicketIndexView(IndexView):
    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if _offers_recheck(self.request.user, instance):
            buttons.append(MenuItem(_("复查"), url=reverse("monitoring_ticket_recheck",
                                                          args=[instance.pk]),
                                    icon_name="resubmit", priority=5))
        return buttons


class TicketInspectView(InspectView):
    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        if _offers_recheck(self.request.user, self.object):
            buttons.append(Button(_("复查"), url=reverse("monitoring_ticket_recheck",
                                                        args=[self.object.pk]),
                                  icon_name="resubmit", priority=5))
        return buttons


class TicketViewSet(ModelViewSet):
    model = Ticket
    icon = "warning"
    menu_label = "整改单"
    index_view_class = TicketIndexView
    inspect_view_class = TicketInspectView
    list_display = ["pk", "rule_id", "url", "organisation", "severity", "status", "deadline"]
    list_filter = ["status", "rule_id", "severity", "veto"]
    search_fields = ["url", "evidence", "message"]
    inspect_view_enabled = True
    form_fields: list[str] = []
    add_to_admin_menu = False

    def get_queryset(self, request: Any) -> Any:
        return Ticket.objects.select_related("organisation", "site")


class OverdueTicketViewSet(TicketViewSet):
    menu_label = "超期未销号"
    icon = "time"

    def get_queryset(self, request: Any) -> Any:
        from .selectors import overdue_tickets

        return overdue_tickets(timezone.localdate())


class InspectionViewSet(ModelViewSet):
    model = Inspection
    icon = "search"
    menu_label = "站点检查"
    list_display = ["target", "started_at", "pages_crawled", "verdict", "decided_by", "score"]
    list_filter = ["verdict"]
    inspect_view_enabled = True
    form_fields: list[str] = []
    add_to_admin_menu = False


class UptimeProbeViewSet(ModelViewSet):
    model = UptimeProbe
    icon = "pick"
    menu_label = "可用性探测"
    list_display = ["site", "at", "outcome", "status_code", "elapsed_ms", "error"]
    list_filter = ["outcome"]
    form_fields: list[str] = []
    add_to_admin_menu = False


class UptimeAlertViewSet(ModelViewSet):
    model = UptimeAlert
    icon = "warning"
    menu_label = "可用性告警"
    list_display = ["site", "at", "level", "share", "veto"]
    form_fields: list[str] = []
    add_to_admin_menu = False


class MonitoringGroup(ModelViewSetGroup):
    menu_label = "站点监测"
    menu_icon = "view"
    menu_order = 700
    items = (TicketViewSet("monitoring_tickets"), OverdueTicketViewSet("monitoring_overdue"),
             InspectionViewSet("monitoring_inspections"), UptimeProbeViewSet("monitoring_probes"),
             UptimeAlertViewSet("monitoring_alerts"))


@hooks.register("register_admin_viewset")
def register_monitoring_group() -> MonitoringGroup:
    return MonitoringGroup()
