"""Admin wiring of operations: 访问统计 and 年度报表 under 报告 (reports)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import (
    admin_views,
    duty_views,
    lifecycle_views,
    newmedia_views,
    opinion_views,
    policies,
    report_views,
)


@hooks.register("register_admin_urls")
def register_operations_urls() -> list[Any]:
    return [
        path("operations/visits/", admin_views.visits_dashboard, name="operations_visits"),
        path("operations/visits.csv", admin_views.visits_csv, name="operations_visits_csv"),
        path("operations/reports/", report_views.report_list, name="operations_reports"),
        path("operations/reports/<int:report_id>/", report_views.report_detail,
             name="operations_report"),
        path("operations/reports/<int:report_id>/<str:action>/", report_views.report_action,
             name="operations_report_action"),
        path("operations/reports/<int:report_id>/report.<str:fmt>", report_views.report_file,
             name="operations_report_file"),
        path("operations/site-changes/", lifecycle_views.changes, name="operations_site_changes"),
        path("operations/new-media/", newmedia_views.accounts, name="operations_new_media"),
        path("operations/duty/", duty_views.records, name="operations_duty"),
        path("operations/opinion/", opinion_views.events, name="operations_opinion"),
        path("operations/new-media/<int:account_id>/check/", newmedia_views.check_now,
             name="operations_new_media_check"),
        path("operations/site-changes/<int:change_id>/<str:verdict>/", lifecycle_views.decide,
             name="operations_site_change_decide"),
    ]


class _OperationsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return policies.has_operations_role(request.user)


@hooks.register("register_reports_menu_item")
def register_visits_menu() -> MenuItem:
    return _OperationsMenuItem("访问统计", reverse("operations_visits"), icon_name="view",
                               order=850)


@hooks.register("register_reports_menu_item")
def register_annual_reports_menu() -> MenuItem:
    return _OperationsMenuItem("年度报表", reverse("operations_reports"), icon_name="doc-full",
                               order=860)


@hooks.register("register_reports_menu_item")
def register_site_changes_menu() -> MenuItem:
    return _OperationsMenuItem("网站变更", reverse("operations_site_changes"), icon_name="site",
                               order=870)


@hooks.register("register_reports_menu_item")
def register_new_media_menu() -> MenuItem:
    return _OperationsMenuItem("政务新媒体", reverse("operations_new_media"), icon_name="mail",
                               order=880)


@hooks.register("register_reports_menu_item")
def register_duty_menu() -> MenuItem:
    return _OperationsMenuItem("值班与安全", reverse("operations_duty"), icon_name="warning",
                               order=890)


@hooks.register("register_reports_menu_item")
def register_opinion_menu() -> MenuItem:
    return _OperationsMenuItem("政务舆情", reverse("operations_opinion"), icon_name="warning",
                               order=895)
