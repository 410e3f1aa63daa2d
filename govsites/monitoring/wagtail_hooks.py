"""Admin wiring: 站点监测 — tickets (with the overdue list), inspections, probes and alerts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Inspection, Ticket, UptimeAlert, UptimeProbe


class TicketViewSet(ModelViewSet):
    model = Ticket
    icon = "warning"
    menu_label = "整改单"
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
