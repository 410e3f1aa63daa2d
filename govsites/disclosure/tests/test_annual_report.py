"""The annual report: table 三 from the cases (with its identity), table 二 from the library,
deadlines as rule data, and a PDF in Chinese."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.accounts.roles import Role

from .. import library, report_format, reports, services
from ..choices import REPLY_RESULTS, Result
from ..identity import Applicant
from ..models import DisclosureRequest
from .factories import applicant, make_body, make_staff, registered

D = dt.date


def test_every_result_is_exactly_one_row_of_table_three_and_every_row_one_result() -> None:
    rows = [r for group in report_format.RESULT_GROUPS for r in group.results]
    assert sorted(rows) == sorted(Result)
    assert len(rows) == len(set(rows))
    leaf_labels = [report_format.row_label(r, i, g) for g in report_format.RESULT_GROUPS
                   for i, r in enumerate(g.results, start=1)]
    assert len(leaf_labels) == 21  # 1 + 1 + 8 + 3 + 5 + 3 rows in the 2021 format
    assert "1.属于国家秘密" in leaf_labels and "3.其他" in leaf_labels


@pytest.fixture
def office(db: Any) -> Any:
    body = make_body()
    return body, make_staff(body, "clerk"), make_staff(body, "head", Role.HEAD)


def test_each_closed_case_counts_once_in_its_result_row_and_applicant_column(
        office: Any) -> None:
    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 3, 2), applicant_type="legal_person",
                      subtype="research",
                      person=Applicant(name="示例研究院", id_type="credit_code",
                                       id_number="12440000MB2C99999X", phone="0753-1234567",
                                       contact_person="赵六"))
    services.reply(request=case, acting_user=clerk, result="withheld_process", reply_text="过程性信息",
                   on=D(2026, 3, 20))
    table = reports.table_three(body, 2026)
    research = [key for key, _ in report_format.COLUMNS].index("research")
    row = next(r for r in table.rows if r.label == "6.属于四类过程性信息")
    assert row.values[research] == 1 and row.total == 1
    assert sum(table.results_total) == 1


def test_table_three_balances_on_generated_cases_across_year_boundaries(office: Any) -> None:
    body, clerk, _head = office
    rng = random.Random(2026)
    results = [r.value for r in REPLY_RESULTS]
    for n in range(24):
        received = D(2025, 11, 3) + dt.timedelta(days=rng.randrange(0, 400))
        case = registered(body, clerk, min(received, D(2026, 11, 30)),
                          person=applicant(phone=f"139{n:08d}"))
        if rng.random() < 0.7:
            closed = case.received_on + dt.timedelta(days=rng.randrange(1, 40))
            if closed <= D(2026, 11, 30):
                services.reply(request=case, acting_user=clerk, result=rng.choice(results),
                               reply_text="答复", on=closed)
    for year in (2025, 2026):
        table = reports.table_three(body, year)
        assert table.identity_holds
        assert sum(table.new) == DisclosureRequest.objects.filter(
            received_on__year=year).count()
    table = reports.table_three(body, 2026)
    assert sum(table.new) + sum(table.carried_in) > 0


def test_an_unbalanced_table_stops_the_export_with_a_chinese_reason(office: Any) -> None:
    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 3, 2))
    services.reply(request=case, acting_user=clerk, result="disclosed", reply_text="公开",
                   on=D(2026, 3, 5))
    # A record edited behind the services' back: closed before it was received.
    DisclosureRequest.objects.filter(pk=case.pk).update(received_on=D(2026, 3, 2),
                                                        closed_on=D(2025, 12, 30))
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    assert not reports.table_three(body, 2026).identity_holds
    with pytest.raises(ValidationError, match="表三数据不平衡"):
        reports.render_pdf(report)


def test_departments_report_by_31_january_and_governments_by_31_march(db: Any) -> None:
    department = make_body()
    government = make_body(testing.make_organisation("示例市人民政府", kind="government"))
    assert reports.due_date(department, 2026) == D(2027, 1, 31)
    assert reports.due_date(government, 2026) == D(2027, 3, 31)


def test_table_two_counts_the_bodys_normative_documents_from_the_library(
        department_site: Any) -> None:
    from govsites.content.services import change_validity

    body = make_body(department_site.host_organisation)
    column = testing.make_column(department_site.site.root_page.specific, title="政策文件",
                                 column_type="政策文件")
    testing.make_policy(column, title="关于规范校外培训的通知", normative=True,
                        written_date=D(2026, 2, 1))
    old = testing.make_policy(column, title="关于旧办法的通知", normative=True,
                              written_date=D(2025, 2, 1))
    testing.make_policy(column, title="一份不是规范性文件的通知", written_date=D(2026, 2, 1))
    change_validity(policy=old, validity="repealed", changed_on=D(2026, 6, 1),
                    acting_user=None)
    counts = reports.report_context(reports.draft_report(body=body, year=2026,
                                                         acting_user=None))["normative"]
    assert (counts.issued, counts.repealed, counts.in_force) == (1, 1, 1)


def test_table_two_counts_the_bodys_regulations_from_the_library_not_from_entered_figures(
        department_site: Any) -> None:
    from govsites.content.services import change_validity

    body = make_body(department_site.host_organisation)
    column = testing.make_column(department_site.site.root_page.specific, title="政策文件",
                                 column_type="政策文件")
    testing.make_policy(column, title="示例市校外培训管理办法", regulation=True,
                        written_date=D(2026, 3, 1))
    old = testing.make_policy(column, title="示例市旧管理办法", regulation=True,
                              written_date=D(2024, 3, 1))
    testing.make_policy(column, title="关于规范校外培训的通知", normative=True,
                        written_date=D(2026, 2, 1))
    change_validity(policy=old, validity="repealed", changed_on=D(2026, 6, 1),
                    acting_user=None)
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    context = reports.report_context(report)
    counts = context["regulations"]
    assert (counts.issued, counts.repealed, counts.in_force) == (1, 1, 1)
    assert "regulations_issued" not in context["figures"]  # no longer typed in by staff
    html = reports.render_html(report)
    assert '<td class="label">规章</td><td>1</td><td>1</td><td>1</td>' in html


def test_a_policy_cannot_be_both_a_regulation_and_a_normative_document(
        department_site: Any) -> None:
    from django.core.exceptions import ValidationError

    from govsites.content.models import PolicyDocumentPage

    column = testing.make_column(department_site.site.root_page.specific, title="政策文件",
                                 column_type="政策文件")
    with pytest.raises(ValidationError, match="两者只能选其一"):
        testing.make_policy(column, title="示例市某办法", regulation=True, normative=True)
    assert not PolicyDocumentPage.objects.filter(title="示例市某办法", live=True).exists()


def test_the_report_renders_as_a_pdf_with_its_chinese_tables(office: Any) -> None:
    from pypdf import PdfReader

    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 3, 2))
    services.reply(request=case, acting_user=clerk, result="partial", reply_text="部分公开",
                   on=D(2026, 3, 9))
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    reports.update_report(report=report, acting_user=clerk, overview="全年工作情况。",
                          problems="", other_matters="",
                          figures={"licensing": 12, "review": {"upheld": 1}})
    pdf = reports.render_pdf(report)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "政府信息公开工作年度报告" in text
    assert "收到和处理政府信息公开申请情况" in text
    assert "部分公开" in text


def test_bad_figures_are_refused_and_the_report_is_unchanged(office: Any) -> None:
    body, clerk, _head = office
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    with pytest.raises(ValidationError):
        reports.update_report(report=report, acting_user=clerk, overview="改", problems="",
                              other_matters="", figures={"licensing": "很多"})
    report.refresh_from_db()
    assert report.overview != "改"


def test_publishing_places_the_report_in_the_bodys_annual_report_column_once(
        department_site: Any) -> None:
    from govsites.content.models import ContentItem

    body = make_body(department_site.host_organisation)
    clerk = make_staff(body, "clerk")
    column = testing.make_column(department_site.site.root_page.specific, title="信息公开年报",
                                 column_type="信息公开年报")
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    reports.publish_report(report=report, acting_user=clerk)
    reports.publish_report(report=report, acting_user=clerk)  # again: updates, no duplicate
    items = ContentItem.objects.child_of(column)
    assert items.count() == 1
    item = items.get()
    assert item.title == "示例市教育局2026年政府信息公开工作年度报告" and item.live
    assert "收到和处理政府信息公开申请情况" in item.body
    assert item.attachments.count() == 1


def test_table_four_shows_the_entered_review_and_litigation_outcomes_with_their_totals(
        office: Any) -> None:
    body, clerk, _head = office
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    report = reports.update_report(report=report, acting_user=clerk, overview="全年工作情况。",
                                   problems="", other_matters="", figures={
                                       "review": {"upheld": 2, "corrected": 1, "pending": 1},
                                       "litigation_direct": {"other": 3},
                                       "litigation_after_review": {"upheld": 1,
                                                                   "corrected": 1}})
    rows = {row["label"]: row for row in reports.report_context(report)["review_rows"]}
    assert rows["行政复议"]["values"] == [2, 1, 0, 1] and rows["行政复议"]["total"] == 4
    assert rows["行政诉讼：未经复议直接起诉"]["total"] == 3
    assert rows["行政诉讼：复议后起诉"]["values"] == [1, 1, 0, 0]
    html = reports.render_html(report)
    table = html[html.index("四、政府信息公开行政复议、行政诉讼情况"):]
    assert "<td>2</td><td>1</td><td>0</td><td>1</td><td>4</td>" in table
    with pytest.raises(ValidationError, match="不能为负数"):
        reports.update_report(report=report, acting_user=clerk, overview="改", problems="",
                              other_matters="", figures={"review": {"upheld": -1}})
    report.refresh_from_db()
    assert report.manual_figures["review"]["upheld"] == 2 and report.overview == "全年工作情况。"


def _first_published_on(item: Any, day: dt.date) -> None:
    from django.utils import timezone

    from govsites.content.models import ContentItem

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    ContentItem.objects.filter(pk=item.pk).update(first_published_at=moment)


def test_a_document_disclosed_later_than_the_rules_working_days_after_it_was_made_is_listed(
        department_site: Any) -> None:
    from govsites.core.calendar import add_working_days
    from govsites.rules import services as rule_services

    body = make_body(department_site.host_organisation)
    column = testing.make_column(department_site.site.root_page.specific, title="政策文件",
                                 column_type="政策文件")
    made = D(2026, 9, 9)  # the twenty working days run across 国庆 2026 and its 调休
    on_time = testing.make_policy(column, title="按时公开的通知", written_date=made)
    _first_published_on(on_time, add_working_days(made, 20))
    late = testing.make_policy(column, title="迟延公开的通知", written_date=made)
    _first_published_on(late, add_working_days(made, 21))
    [found] = library.late_proactive_items(body, 2026)
    assert (found.item.pk, found.made_on, found.working_days) == (late.pk, made, 21)
    assert found.published_on == add_working_days(made, 21)
    assert library.late_proactive_items(body, 2025) == []
    rule_services.set_override(key="disclosure.proactive_working_days", value=21,
                               reason="测试：放宽一日", site=None, acting_user=None)
    assert library.late_proactive_items(body, 2026) == []
