"""Admin wiring: 站点监测 — tickets (with the overdue list), inspections, probes and alerts.

Every record here is written by the system (the inspector, the prober, the ticket services), so
the listings offer no create, edit or delete: inspections start with 立即检查, tickets are opened
from an inspection's findings and closed by 复查, alerts are acknowledged. Each listing shows
only the sites the user supervises (`policies`).
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, HeaderButton

from . import admin_views, policies, reports
from . import selectors as monitoring_selectors
from .choices import TicketStatus
from .labels import decided_by_label, naming_rulebook, rule_title, severity_label
from .models import Inspection, Ticket, UptimeAlert, UptimeProbe
from .repost_views import RepostWatchViewSet

SYSTEM_RECORD_URLS = ("index", "index_results", "inspect")


@hooks.register("register_admin_urls")
def register_monitoring_urls() -> list[Any]:
    return [
        path("monitoring/inspections/start/", admin_views.inspection_start,
             name="monitoring_inspection_start"),
        path("monitoring/inspections/<int:inspection_id>/progress/",
             admin_views.inspection_progress, name="monitoring_inspection_progress"),
        path("monitoring/inspections/<int:inspection_id>/tickets/",
             admin_views.inspection_open_tickets, name="monitoring_inspection_open_tickets"),
        path("monitoring/inspections/<int:inspection_id>/report.<str:fmt>",
             admin_views.inspection_report_file, name="monitoring_inspection_report"),
        path("monitoring/tickets/<int:ticket_id>/recheck/", admin_views.ticket_recheck,
             name="monitoring_ticket_recheck"),
        path("monitoring/alerts/<int:alert_id>/acknowledge/", admin_views.alert_acknowledge,
             name="monitoring_alert_acknowledge"),
    ]


class SystemRecordViewSet(ModelViewSet):
    """A listing with a detail page and nothing else: no add, edit, copy or delete views."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    form_fields: list[str] = []

    def get_common_view_kwargs(self, **kwargs: Any) -> Any:
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs})

    def get_urlpatterns(self) -> list[Any]:
        return [p for p in super().get_urlpatterns() if p.name in SYSTEM_RECORD_URLS]


def _rule_column() -> Column:
    return Column("rule_id", label=_("问题类型"),
                  accessor=lambda t: rule_title(t.rule_id, naming_rulebook()))


# --- 整改单 -------------------------------------------------------------------------------------
def _offers_recheck(user: Any, ticket: Ticket) -> bool:
    return ticket.status == TicketStatus.OPEN and policies.can_recheck_ticket(user, ticket)


class TicketIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return policies.visible_tickets(self.request.user)

    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if _offers_recheck(self.request.user, instance):
            buttons.append(MenuItem(_("复查"), url=reverse("monitoring_ticket_recheck",
                                                          args=[instance.pk]),
                                    icon_name="resubmit", priority=5))
        return buttons


class OverdueTicketIndexView(TicketIndexView):
    def get_base_queryset(self) -> Any:
        overdue = monitoring_selectors.overdue_tickets(timezone.localdate())
        return overdue.filter(pk__in=policies.visible_tickets(self.request.user).values("pk"))


class TicketInspectView(InspectView):
    template_name = "monitoring/admin/ticket_detail.html"
    page_title = _("整改单详情")

    def get_object(self, queryset: Any = None) -> Ticket:
        return policies.get_ticket_for(user=self.request.user, ticket_id=int(self.pk))

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        if _offers_recheck(self.request.user, self.object):
            buttons.append(Button(_("复查"), url=reverse("monitoring_ticket_recheck",
                                                        args=[self.object.pk]),
                                  icon_name="resubmit", priority=5))
        return buttons

    def get_context_data(self, **kwargs: Any) -> Any:
        context = super().get_context_data(**kwargs)
        ticket = self.object
        context.update(ticket=ticket, rule_title=rule_title(ticket.rule_id, naming_rulebook()),
                       severity=severity_label(ticket.severity),
                       events=ticket.events.select_related("actor").order_by("at", "pk"),
                       can_recheck=_offers_recheck(self.request.user, ticket))
        return context


class TicketViewSet(SystemRecordViewSet):
    model = Ticket
    icon = "warning"
    menu_label = _("整改单")
    index_view_class = TicketIndexView
    inspect_view_class = TicketInspectView
    list_display = ["__str__", _rule_column(), "organisation", "severity", "status", "deadline"]
    list_filter = ["status", "rule_id", "severity", "veto"]
    search_fields = ["url", "evidence", "message"]


class OverdueTicketViewSet(TicketViewSet):
    menu_label = _("超期未销号")
    icon = "time"
    index_view_class = OverdueTicketIndexView


# --- 站点检查 -----------------------------------------------------------------------------------
class InspectionIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return policies.visible_inspections(self.request.user)

    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons = list(super().header_buttons)
        if policies.sites_to_inspect(self.request.user):
            buttons.append(HeaderButton(_("立即检查"), url=reverse("monitoring_inspection_start"),
                                        icon_name="search"))
        return buttons


class InspectionInspectView(InspectView):
    """The inspection as its report (the same as the HTML/PDF file), or its progress while it runs."""

    template_name = "monitoring/admin/inspection_detail.html"
    page_title = _("检查报告")

    def get_object(self, queryset: Any = None) -> Inspection:
        return policies.get_inspection_for(user=self.request.user, inspection_id=int(self.pk))

    def get_context_data(self, **kwargs: Any) -> Any:
        context = super().get_context_data(**kwargs)
        inspection = self.object
        context["inspection"] = inspection
        context["progress"] = admin_views.progress_payload(inspection)
        context["progress_url"] = reverse("monitoring_inspection_progress", args=[inspection.pk])
        if inspection.report:
            covered = monitoring_selectors.open_tickets_by_finding(inspection.site)
            context.update(reports.inspection_context(inspection.report, tickets=covered))
            context["html_url"] = reverse("monitoring_inspection_report",
                                          args=[inspection.pk, "html"])
            context["pdf_url"] = reverse("monitoring_inspection_report",
                                         args=[inspection.pk, "pdf"])
            if policies.can_open_tickets(self.request.user, inspection):
                context["open_tickets_url"] = reverse("monitoring_inspection_open_tickets",
                                                      args=[inspection.pk])
        return context


class InspectionViewSet(SystemRecordViewSet):
    model = Inspection
    icon = "search"
    menu_label = _("站点检查")
    index_view_class = InspectionIndexView
    inspect_view_class = InspectionInspectView
    list_display = [
        "__str__", "site", "status", "started_at", "pages_crawled", "verdict",
        Column("decided_by", label=_("决定结论的依据"),
               accessor=lambda i: decided_by_label(i.decided_by, naming_rulebook())
               if i.decided_by else ""),
        "score",
    ]
    list_filter = ["status", "verdict"]


# --- 可用性 -------------------------------------------------------------------------------------
class ProbeIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return policies.visible_probes(self.request.user)


class ProbeInspectView(InspectView):
    page_title = _("探测详情")

    def get_object(self, queryset: Any = None) -> UptimeProbe:
        return policies.get_probe_for(user=self.request.user, probe_id=int(self.pk))


class UptimeProbeViewSet(SystemRecordViewSet):
    model = UptimeProbe
    icon = "pick"
    menu_label = _("可用性探测")
    index_view_class = ProbeIndexView
    inspect_view_class = ProbeInspectView
    list_display = ["__str__", "site", "at", "outcome", "status_code", "elapsed_ms", "error"]
    list_filter = ["outcome"]


def _offers_acknowledgement(user: Any, alert: UptimeAlert) -> bool:
    return alert.acknowledged_at is None and policies.can_acknowledge_alert(user, alert)


class AlertIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return policies.visible_alerts(self.request.user)

    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if _offers_acknowledgement(self.request.user, instance):
            buttons.append(MenuItem(_("确认"), url=reverse("monitoring_alert_acknowledge",
                                                          args=[instance.pk]),
                                    icon_name="tick", priority=5))
        return buttons


class AlertInspectView(InspectView):
    page_title = _("告警详情")

    def get_object(self, queryset: Any = None) -> UptimeAlert:
        return policies.get_alert_for(user=self.request.user, alert_id=int(self.pk))

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        if _offers_acknowledgement(self.request.user, self.object):
            buttons.append(Button(_("确认"), url=reverse("monitoring_alert_acknowledge",
                                                        args=[self.object.pk]),
                                  icon_name="tick", priority=5))
        return buttons


class UptimeAlertViewSet(SystemRecordViewSet):
    model = UptimeAlert
    icon = "warning"
    menu_label = _("可用性告警")
    index_view_class = AlertIndexView
    inspect_view_class = AlertInspectView
    list_display = ["__str__", "site", "at", "level", "share", "veto", "acknowledged_at"]
    list_filter = ["veto"]


class MonitoringGroup(ModelViewSetGroup):
    menu_label = _("站点监测")
    menu_icon = "view"
    menu_order = 700
    items = (TicketViewSet("monitoring_tickets"), OverdueTicketViewSet("monitoring_overdue"),
             InspectionViewSet("monitoring_inspections"), UptimeProbeViewSet("monitoring_probes"),
             UptimeAlertViewSet("monitoring_alerts"), RepostWatchViewSet("monitoring_reposts"))


@hooks.register("register_admin_viewset")
def register_monitoring_group() -> MonitoringGroup:
    return MonitoringGroup()
