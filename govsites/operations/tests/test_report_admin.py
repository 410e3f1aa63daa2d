"""The 年度报表 admin: compile, revise with a reason, review, publish, download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations import reports
from govsites.operations.models import AnnualReport, ReportStatus

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_a_site_administrator_compiles_fills_reviews_and_publishes_their_report(portal):
    client = client_for(make_user(portal.host_organisation, Role.SITE_ADMIN))
    response = client.post("/admin/operations/reports/",
                           {"site": portal.pk, "year": YEAR, "kind": "website"})
    report = AnnualReport.objects.get()
    assert response["Location"] == f"/admin/operations/reports/{report.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "独立用户访问总量" in page and "访问统计" in page
    form = {f"value-{f.key}": f.value or "无" for f in report.figures.all()}
    form["value-page_views"] = "88"
    client.post(f"/admin/operations/reports/{report.pk}/", form)
    assert report.figures.get(key="page_views").value == "0"  # no reason: refused, unchanged
    form["reason-page_views"] = "补录旧站统计"
    client.post(f"/admin/operations/reports/{report.pk}/", form)
    assert report.figures.get(key="page_views").value == "88"
    client.post(f"/admin/operations/reports/{report.pk}/review/")
    client.post(f"/admin/operations/reports/{report.pk}/publish/")
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    pdf = client.get(f"/admin/operations/reports/{report.pk}/report.pdf")
    assert pdf.content[:4] == b"%PDF"


def test_another_organisations_report_is_not_shown(portal, department_site):
    report = reports.compile_report(site=portal, year=YEAR)
    client = client_for(make_user(department_site.host_organisation, Role.SITE_ADMIN))
    response = client.get(f"/admin/operations/reports/{report.pk}/")
    assert response.status_code == 302 and "独立用户访问总量" not in response.content.decode()


def test_site_administrators_are_reminded_of_a_report_due_within_a_week(portal):
    make_user(portal.host_organisation, Role.SITE_ADMIN)
    report = reports.compile_report(site=portal, year=YEAR)
    quiet = report.deadline - dt.timedelta(days=8)
    assert reports.remind_due_reports(today=quiet) == 0
    assert reports.remind_due_reports(today=report.deadline - dt.timedelta(days=3)) == 1
    assert reports.remind_due_reports(today=report.deadline - dt.timedelta(days=3)) == 0
