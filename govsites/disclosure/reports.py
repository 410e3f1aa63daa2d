"""The 政府信息公开工作年度报告 (条例第49、50条; 国办公开办函〔2021〕30号 format).

Table 二's 行政规范性文件 figures come from the resource library, table 三 entirely from the
cases, table 四 and the figures of other systems from staff. Table 三 must satisfy the
format's identity 一 + 二 = 三(七) + 四 before the report may be exported or published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites import rules
from govsites.core import audit

from . import audit as actions
from . import library, policies, report_format
from .choices import RequestState, Result
from .models import AnnualReport, DisclosureBody, DisclosureRequest


def due_date(body: DisclosureBody, year: int) -> dt.date:
    """The day the report on `year` must be published (条例第49条: departments by 31 January,
    the government's own by 31 March of the next year; both rule data)."""
    site = body.organisation.sites.order_by("pk").first()
    key = ("reports.disclosure_annual.government_deadline" if body.is_government()
           else "reports.disclosure_annual.department_deadline")
    month, day = (int(x) for x in str(rules.value(key, site=site)).split("-"))
    return dt.date(year + 1, month, day)


@dataclass
class TableRow:
    label: str
    values: list[int]
    kind: str = "row"  # row, heading, total

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class TableThree:
    """Table 三, with the identity check's figures."""

    rows: list[TableRow] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    carried_in: list[int] = field(default_factory=list)
    results_total: list[int] = field(default_factory=list)
    carried_out: list[int] = field(default_factory=list)

    @property
    def identity_holds(self) -> bool:
        """一 + 二 = 三(七) + 四, per column and in total."""
        return all(a + b == c + d for a, b, c, d in zip(
            self.new, self.carried_in, self.results_total, self.carried_out, strict=True))


def _by_column(rows: Any) -> list[int]:
    counts: dict[str, int] = {}
    for applicant_type, subtype, n in rows:
        column = applicant_type if applicant_type == "natural_person" else (subtype or "other")
        counts[column] = counts.get(column, 0) + n
    return [counts.get(key, 0) for key, _label in report_format.COLUMNS]


def table_three(body: DisclosureBody, year: int) -> TableThree:
    """Compute table 三 from the body's cases (received ones only; 待确认 has no receipt)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cases = DisclosureRequest.objects.filter(body=body, received_on__isnull=False)
    fields = ("applicant_type", "organisation_subtype")

    def count(qs: Any) -> list[int]:
        return _by_column(qs.values_list(*fields).annotate(n=Count("pk")).order_by())

    open_at_start = Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    open_at_end = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    table = TableThree()
    table.new = count(cases.filter(received_on__gte=start, received_on__lte=end))
    table.carried_in = count(cases.filter(open_at_start, received_on__lt=start))
    closed = cases.filter(state=RequestState.REPLIED, closed_on__gte=start, closed_on__lte=end)
    per_result: dict[str, list[tuple[str, str, int]]] = {}
    for result, applicant_type, subtype, n in (closed.values_list("result", *fields)
                                               .annotate(n=Count("pk")).order_by()):
        per_result.setdefault(result, [])
        per_result[result].append((applicant_type, subtype, n))
    table.rows.append(TableRow(_("一、本年新收政府信息公开申请数量"), table.new))
    table.rows.append(TableRow(_("二、上年结转政府信息公开申请数量"), table.carried_in))
    table.rows.append(TableRow(_("三、本年度办理结果"), [], kind="heading"))
    totals = [0] * len(report_format.COLUMNS)
    for group in report_format.RESULT_GROUPS:
        if len(group.results) > 1:
            table.rows.append(TableRow(group.heading, [], kind="heading"))
        for index, result in enumerate(group.results, start=1):
            values = _by_column(per_result.get(result.value, []))
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            table.rows.append(TableRow(report_format.row_label(result, index, group), values))
    table.results_total = totals
    table.rows.append(TableRow(_("（七）总计"), totals, kind="total"))
    table.carried_out = count(cases.filter(open_at_end, received_on__lte=end))
    table.rows.append(TableRow(_("四、结转下年度继续办理"), table.carried_out))
    return table


def result_counts(body: DisclosureBody, year: int) -> dict[str, int]:
    """Closed cases of the year per result code (for the statistics and tests)."""
    rows = (DisclosureRequest.objects.filter(body=body, state=RequestState.REPLIED,
                                             closed_on__year=year)
            .values_list("result").annotate(n=Count("pk")).order_by())
    return {Result(r).value: n for r, n in rows}


def report_context(report: AnnualReport) -> dict[str, Any]:
    """Everything the HTML/PDF template needs, computed now from the library and the cases."""
    figures = report.manual_figures or {}
    normative = library.normative_document_counts(report.body, report.year)
    regulations = library.regulation_counts(report.body, report.year)
    table = table_three(report.body, report.year)
    review_rows = []
    for key, label in report_format.REVIEW_PARTS:
        values = [int((figures.get(key) or {}).get(col, 0) or 0)
                  for col, _l in report_format.REVIEW_COLUMNS]
        review_rows.append({"label": label, "values": values, "total": sum(values)})
    return {
        "report": report, "body": report.body, "year": report.year,
        "part_titles": report_format.PART_TITLES,
        "columns": report_format.COLUMNS, "table_three": table,
        "normative": normative, "regulations": regulations, "figures": {k: figures.get(k, 0) for k, *_r in
                                            report_format.MANUAL_TABLE_TWO},
        "review_columns": report_format.REVIEW_COLUMNS, "review_rows": review_rows,
        "generated_at": timezone.localtime(),
    }


def render_html(report: AnnualReport) -> str:
    return render_to_string("disclosure/annual_report.html", report_context(report))


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF, refused while table 三's identity does not hold."""
    require_identity(report)
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())


def require_identity(report: AnnualReport) -> TableThree:
    table = table_three(report.body, report.year)
    if not table.identity_holds:
        raise ValidationError(_("表三数据不平衡：本年新收与上年结转之和不等于办理结果总计与结转下年度之和，请核对后再导出。"))
    return table


# --- writes -----------------------------------------------------------------------------

def _default_overview(body: DisclosureBody, year: int) -> str:
    return _("%(year)s年，%(name)s认真贯彻落实《中华人民共和国政府信息公开条例》，"
             "依法做好主动公开、依申请公开、政府信息管理、平台建设和监督保障等工作。") % {
        "year": year, "name": body.name}


def draft_report(*, body: DisclosureBody, year: int, acting_user: Any) -> AnnualReport:
    """Create the year's draft (idempotent: an existing report is returned unchanged)."""
    if acting_user is not None:
        policies.refuse_unless(policies.can_handle(acting_user, body))
    with transaction.atomic():
        existing = AnnualReport.objects.filter(body=body, year=year).first()
        if existing is not None:
            return existing
        report = AnnualReport.objects.create(body=body, year=year,
                                             overview=_default_overview(body, year),
                                             due_on=due_date(body, year))
        audit.record(action=actions.REPORT_DRAFT, actor=acting_user, obj=report,
                     organisation=body.organisation_id, details={"year": year})
    return report


def _clean_figures(figures: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, _article, label in report_format.MANUAL_TABLE_TWO:
        value = figures.get(key, 0) or 0
        try:
            number = float(value) if key == "fees_wan_yuan" else int(value)
        except (TypeError, ValueError):
            errors[key] = _("“%(label)s”应为数字。") % {"label": label}
            continue
        if number < 0:
            errors[key] = _("“%(label)s”不能为负数。") % {"label": label}
        clean[key] = number
    for part, label in report_format.REVIEW_PARTS:
        row = figures.get(part) or {}
        clean[part] = {}
        for col, col_label in report_format.REVIEW_COLUMNS:
            try:
                n = int(row.get(col, 0) or 0)
            except (TypeError, ValueError):
                errors[f"{part}.{col}"] = _("“%(label)s%(col)s”应为整数。") % {
                    "label": label, "col": col_label}
                continue
            if n < 0:
                errors[f"{part}.{col}"] = _("“%(label)s%(col)s”不能为负数。") % {
                    "label": label, "col": col_label}
            clean[part][col] = n
    if errors:
        raise ValidationError(errors)
    return clean


def update_report(*, report: AnnualReport, acting_user: Any, overview: str, problems: str,
                  other_matters: str, figures: dict[str, Any]) -> AnnualReport:
    """Save the narrative parts and the entered figures of a draft."""
    policies.refuse_unless(policies.can_handle(acting_user, report.body))
    clean = _clean_figures(figures)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        report.overview, report.problems = overview.strip(), problems.strip()
        report.other_matters = other_matters.strip()
        report.manual_figures = clean
        report.full_clean()
        report.save()
        audit.record(action=actions.REPORT_UPDATE, actor=acting_user, obj=report,
                     organisation=report.body.organisation_id, details={"year": report.year})
    return report


def publish_report(*, report: AnnualReport, acting_user: Any) -> AnnualReport:
    """Publish the report once table 三's identity holds: on the body's 公开 pages and, when
    the body has one, as an item of its 信息公开年报 column (placement.py)."""
    policies.refuse_unless(policies.can_handle(acting_user, report.body))
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        table = require_identity(report)
        if not report.overview.strip():
            raise ValidationError({"overview": _("请填写“一、总体情况”。")})
        report.state = "published"
        report.published_at = timezone.now()
        report.save(update_fields=["state", "published_at"])
        from .placement import place_in_column

        placed = place_in_column(report=report, acting_user=acting_user)
        audit.record(action=actions.REPORT_PUBLISH, actor=acting_user, obj=report,
                     organisation=report.body.organisation_id,
                     details={"year": report.year, "new": sum(table.new),
                              "replied": sum(table.results_total), "in_column": placed})
    return report
