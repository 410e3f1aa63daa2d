"""Admin URLs of the disclosure app (mounted under /admin/disclosure/ by wagtail_hooks)."""

from django.urls import path

from . import admin_reports, admin_views

app_name = "govsites_disclosure"

urlpatterns = [
    path("requests/", admin_views.case_list, name="cases"),
    path("requests/register/", admin_views.register, name="register"),
    path("requests/<int:request_id>/", admin_views.case_detail, name="case"),
    path("requests/<int:request_id>/notice.pdf", admin_views.case_notice, name="case_notice"),
    path("requests/<int:request_id>/archive.zip", admin_views.case_archive, name="case_archive"),
    path("bodies/", admin_views.body_list, name="bodies"),
    path("bodies/<int:body_id>/", admin_views.body_edit, name="body"),
    path("reports/", admin_reports.report_list, name="reports"),
    path("reports/<int:report_id>/", admin_reports.report_detail, name="report"),
    path("reports/<int:report_id>/report.pdf", admin_reports.report_pdf, name="report_pdf"),
    path("statistics/", admin_reports.statistics, name="statistics"),
]
