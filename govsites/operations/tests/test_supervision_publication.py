"""RP-05: 《政府网站监管年度报表》 in the portal's 信息公开目录 by 31 January, with a reminder,
and exported as the national table (CSV, XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.content.services import create_column
from govsites.core.models import NotificationDelivery
from govsites.operations import report_export, reports
from govsites.operations.models import AnnualReport, ReportKind

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
NATIONAL_ORDER = ["基本信息", "网站抽查情况", "安全检查情况", "网站开设整合情况",
                  "“我为政府网站找错”平台网民留言办理情况", "假冒政府网站处置情况", "人员培训情况"]


def reviewed_supervision_report(portal):
    report = reports.compile_report(kind=ReportKind.SUPERVISION, site=portal, year=YEAR)
    entered = {f.key: ("0", "") for f in report.figures.all() if not f.value}
    reports.revise_figures(report=report, changes=entered, acting_user=None)
    return reports.review_report(report=report, acting_user=None)


def test_the_supervision_report_is_published_in_the_portals_disclosure_catalogue(portal,
                                                                                 portal_home):
    catalogue = create_column(parent=portal_home, title="政府信息公开目录",
                              column_type="信息公开目录", description="主动公开目录",
                              keywords="目录", acting_user=None, slug="zfxxgk")
    item = reports.publish_report(report=reviewed_supervision_report(portal), acting_user=None)
    assert item.get_parent().pk == catalogue.pk
    assert item.live and item.disclosure_mode == "proactive"
    assert item.owner_organisation == portal.host_organisation == item.publisher
    assert "政府网站监管年度报表" in item.title and "网站抽查" in item.body
    assert item.attachments.get().document.file.read(4) == b"%PDF"
    # ...and linked from the home page's 年度报表 column like the website report (a synced copy)
    reprint = item.aliases.get().specific
    assert reprint.get_parent().title == "年度报表" and reprint.get_parent().get_parent().pk == \
        portal_home.pk


def test_a_portal_without_a_catalogue_column_gets_one_for_the_report(portal, portal_home):
    item = reports.publish_report(report=reviewed_supervision_report(portal), acting_user=None)
    column = item.get_parent().specific
    assert (column.title, column.column_type) == ("信息公开目录", "信息公开目录")
    assert column.get_parent().pk == portal_home.pk and column.live


def test_the_supervising_office_is_reminded_before_the_deadline(portal):
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    assert reports.draft_last_years_reports(today=dt.date(YEAR, 1, 1)) == 2
    report = AnnualReport.objects.get(kind=ReportKind.SUPERVISION)
    assert (report.site, report.year, report.deadline) == (portal, YEAR - 1, dt.date(YEAR, 1, 31))
    reports.remind_due_reports(today=dt.date(YEAR, 1, 20))
    assert not NotificationDelivery.objects.filter(recipient=supervisor).exists()
    reports.remind_due_reports(today=dt.date(YEAR, 1, 24))
    assert NotificationDelivery.objects.filter(recipient=supervisor).count() == 1


def test_the_supervision_report_exports_in_the_national_table_layout(portal):
    from openpyxl import load_workbook

    report = reports.compile_report(kind=ReportKind.SUPERVISION, site=portal, year=YEAR)
    rows = report_export.national_rows(report)
    assert list(dict.fromkeys(r[0] for r in rows)) == NATIONAL_ORDER
    lines = list(csv.reader(io.StringIO(report_export.to_csv(report).decode("utf-8-sig"))))
    assert lines[:3] == [[f"政府网站监管年度报表（{YEAR}年度）"],
                         ["填报单位", portal.host_organisation.name], ["年度", str(YEAR)]]
    assert lines[4] == ["项目", "内容", "数值", "单位"]
    assert ["网站抽查情况", "检查次数", "0", "次"] in lines and len(lines) == 5 + len(rows)
    sheet = load_workbook(io.BytesIO(report_export.to_xlsx(report))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[4] == ("项目", "内容", "数值", "单位")
    assert ("网站抽查情况", "检查次数", 0, "次") in values
    merged = {str(r) for r in sheet.merged_cells.ranges}
    first = next(i for i, v in enumerate(values, start=1) if v[0] == "网站抽查情况")
    assert f"A{first}:A{first + 3}" in merged  # the four 网站抽查 rows under one 项目
    client = client_for(make_user(portal.host_organisation, Role.SITE_ADMIN))
    response = client.get(f"/admin/operations/reports/{report.pk}/report.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
