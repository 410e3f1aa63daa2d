"""《政府网站工作年度报表》: each field from generated data, revisions with reasons, publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govsites import testing
from govsites.content.models import InterpretationPage
from govsites.content.services import publish_item, unique_child_slug
from govsites.core.models import AuditRecord
from govsites.monitoring.models import Inspection, Ticket
from govsites.operations import annual, reports
from govsites.operations.models import (
    AnnualReport,
    DailySiteVisits,
    FigureOrigin,
    ReportStatus,
)
from govsites.operations.reports import ReportRefused

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def values(report) -> dict[str, str]:
    return {f.key: f.value for f in report.figures.all()}


def backdate(page, year: int) -> None:
    """Move an item's first publication into another year."""
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=dt.datetime(year, 6, 1, 10, tzinfo=dt.UTC))


def interpretation(column, policy, form: str) -> InterpretationPage:
    item = InterpretationPage(title=f"解读{form}", slug=unique_child_slug(column, form),
                              body="<p>解读</p>", policy=policy, form=form, live=False)
    column.add_child(instance=item)
    publish_item(item=item, acting_user=None)
    return item


@pytest.fixture
def year_of_work(portal, portal_home, news_column, policy_column):
    overview = testing.make_column(portal_home, title="机构职能", column_type="机构职能")
    responses = testing.make_column(portal_home, title="回应关切", column_type="回应关切")
    explained = testing.make_column(portal_home, title="政策解读", column_type="政策解读")
    testing.make_column(portal_home, title="专题专栏", column_type="专题专栏")
    for n in range(3):
        testing.make_article(news_column, title=f"动态{n}")
    old = testing.make_article(news_column, title="去年的动态")
    backdate(old, YEAR - 1)
    testing.make_article(overview, title="职能")
    policy = testing.make_policy(policy_column)
    testing.make_article(responses, title="回应")
    interpretation(explained, policy, "text")
    interpretation(explained, policy, "graphic")
    interpretation(explained, policy, "audio_video")
    for day, pv, uv in ((1, 100, 30), (2, 50, 20)):
        DailySiteVisits.objects.create(site=portal, day=dt.date(YEAR, 1, day), page_views=pv,
                                       unique_visitors=uv)
    DailySiteVisits.objects.create(site=portal, day=dt.date(YEAR - 1, 12, 31), page_views=999,
                                   unique_visitors=99)
    return portal


def test_identity_and_visits_come_from_the_registry_and_the_visit_statistics(year_of_work):
    figures = values(reports.compile_report(site=year_of_work, year=YEAR))
    assert figures["site_code"] == year_of_work.site_code
    assert figures["home_url"] == f"https://{year_of_work.domain}/"
    assert figures["site_kind"] == "政府门户网站"
    assert (figures["page_views"], figures["unique_visitors"]) == ("150", "50")


def test_publishing_fields_count_the_years_items_by_column_type_and_form(year_of_work):
    figures = values(reports.compile_report(site=year_of_work, year=YEAR))
    # 3 news + 1 overview + 1 policy + 1 response + 3 interpretations (last year's not counted)
    assert figures["items_total"] == "9"
    assert (figures["items_news"], figures["items_overview"], figures["items_catalogue"]) == (
        "3", "1", "1")
    assert (figures["interpretations_total"], figures["interpretation_materials"],
            figures["interpretation_products"]) == ("3", "1", "2")
    assert figures["responses"] == "1"
    assert (figures["specials_maintained"], figures["specials_new"]) == ("1", "1")


def test_security_fields_count_the_years_inspections_and_tickets(year_of_work):
    site = year_of_work
    now = timezone.now()
    Inspection.objects.create(site=site, target="https://www.shili.gov.cn/", started_at=now,
                              verdict="合格")
    Inspection.objects.create(site=site, target="https://www.shili.gov.cn/",
                              started_at=now.replace(year=YEAR - 1), verdict="合格")
    for closed in (None, now):
        Ticket.objects.create(organisation=site.host_organisation, site=site, rule_id="PA-05",
                              url="https://www.shili.gov.cn/x", severity="serious",
                              opened_on=timezone.localdate(), deadline=timezone.localdate(),
                              closed_at=closed)
    figures = values(reports.compile_report(site=site, year=YEAR))
    assert (figures["assessments"], figures["problems_found"], figures["problems_fixed"]) == (
        "1", "2", "1")


def test_interaction_fields_say_not_connected_without_the_capability(year_of_work, monkeypatch):
    monkeypatch.setattr(annual, "interaction_statistics", lambda site, year: None)
    report = reports.compile_report(site=year_of_work, year=YEAR)
    row = report.figures.get(key="messages_received")
    assert (row.value, row.origin) == ("未接入", FigureOrigin.UNAVAILABLE)


def test_every_figure_names_its_source(year_of_work):
    report = reports.compile_report(site=year_of_work, year=YEAR)
    assert report.figures.count() > 40
    assert all(f.source for f in report.figures.all())
    assert report.deadline == dt.date(YEAR + 1, 1, 31)


def test_a_platform_figure_is_changed_only_with_a_reason_which_survives_recompiling(year_of_work):
    report = reports.compile_report(site=year_of_work, year=YEAR)
    with pytest.raises(ReportRefused, match="须说明理由"):
        reports.revise_figures(report=report, changes={"page_views": ("200", "")}, acting_user=None)
    assert values(report)["page_views"] == "150"
    reports.revise_figures(report=report, changes={
        "page_views": ("200", "含迁移前旧站访问量"), "registered_users": ("12", "")},
        acting_user=None)
    report = reports.compile_report(site=year_of_work, year=YEAR)
    row = report.figures.get(key="page_views")
    assert (row.value, row.platform_value, row.origin, row.reason) == (
        "200", "150", FigureOrigin.REVISED, "含迁移前旧站访问量")
    assert values(report)["registered_users"] == "12"
    assert AuditRecord.objects.filter(action="operations.report.revise").count() == 1


def test_a_report_is_reviewed_once_complete_and_published_from_the_home_page(year_of_work,
                                                                            portal_home):
    report = reports.compile_report(site=year_of_work, year=YEAR)
    with pytest.raises(ReportRefused, match="未填写"):
        reports.review_report(report=report, acting_user=None)
    empty = {f.key: ("无", "") for f in report.figures.all() if not f.value}
    reports.revise_figures(report=report, changes=empty, acting_user=None)
    with pytest.raises(ReportRefused, match="先审核"):
        reports.publish_report(report=report, acting_user=None)
    reports.review_report(report=report, acting_user=None)
    item = reports.publish_report(report=report, acting_user=None)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_page_id == item.pk
    column = item.get_parent()
    assert column.title == "年度报表" and column.get_parent().pk == portal_home.pk
    assert item.live and "政府网站工作年度报表" in item.title
    assert "独立用户访问总量" in item.body and "150" in item.body
    assert item.attachments.get().document.file.read(4) == b"%PDF"
    with pytest.raises(ReportRefused, match="已发布"):
        reports.compile_report(site=year_of_work, year=YEAR)


def test_a_report_of_a_year_not_begun_is_refused(portal):
    with pytest.raises(ReportRefused):
        reports.compile_report(site=portal, year=YEAR + 1)
    assert not AnnualReport.objects.exists()


def test_last_years_reports_are_drafted_once_for_every_online_site(portal, department_site):
    assert reports.draft_last_years_reports(today=dt.date(YEAR, 1, 1)) == 3  # + the portal's 监管
    assert reports.draft_last_years_reports(today=dt.date(YEAR, 1, 2)) == 0
    assert set(AnnualReport.objects.values_list("year", flat=True)) == {YEAR - 1}


def test_interaction_fields_come_from_the_interaction_capability_when_installed(year_of_work):
    stats = annual.interaction_statistics(year_of_work, YEAR)
    assert stats is not None
    report = reports.compile_report(site=year_of_work, year=YEAR)
    row = report.figures.get(key="messages_received")
    assert (row.value, row.origin) == (str(stats["enquiries_received"]), FigureOrigin.PLATFORM)
