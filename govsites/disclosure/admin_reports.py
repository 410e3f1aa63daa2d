"""Admin pages of the annual report (信息公开 → 年度报告) and the case statistics with their
CSV/XLSX export. Changes go through reports.py's services."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import library, policies, report_format, reports, selectors
from .choices import ApplicantType, RequestState, Result
from .forms import ReportForm


def _require_reader(request: HttpRequest) -> None:
    if not policies.can_use_disclosure_admin(request.user):
        raise PermissionDenied


def report_list(request: HttpRequest) -> HttpResponse:
    """Reports of the user's bodies; staff draft a year's report for a body."""
    _require_reader(request)
    bodies = policies.bodies_for(request.user)
    if request.method == "POST":
        body = bodies.filter(pk=request.POST.get("body") or 0).first()
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        if body is None or not 2008 <= year <= timezone.localdate().year:
            messages.error(request, "请选择公开主体和不晚于今年的年度。")
        else:
            report = reports.draft_report(body=body, year=year, acting_user=request.user)
            return redirect("govsites_disclosure:report", report_id=report.pk)
    return render(request, "disclosure/admin/report_list.html", {
        "reports": selectors.reports_for(bodies), "bodies": bodies,
        "this_year": timezone.localdate().year})


def _figures_from_post(data: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {key: data.get(f"fig_{key}", 0)
                               for key, *_rest in report_format.MANUAL_TABLE_TWO}
    for part, _label in report_format.REVIEW_PARTS:
        figures[part] = {col: data.get(f"{part}_{col}", 0)
                         for col, _l in report_format.REVIEW_COLUMNS}
    return figures


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """Edit the narrative parts and the entered figures; preview tables; publish."""
    _require_reader(request)
    report = policies.get_report_for(user=request.user, report_id=report_id)
    can_handle = policies.can_handle(request.user, report.body)
    form = ReportForm(request.POST or None, initial={
        "overview": report.overview, "problems": report.problems,
        "other_matters": report.other_matters})
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        try:
            if "publish" in request.POST:
                reports.publish_report(report=report, acting_user=request.user)
                messages.success(request, "年度报告已发布。")
                return redirect("govsites_disclosure:report", report_id=report.pk)
            if form.is_valid():
                reports.update_report(report=report, acting_user=request.user,
                                      overview=form.cleaned_data["overview"],
                                      problems=form.cleaned_data["problems"],
                                      other_matters=form.cleaned_data["other_matters"],
                                      figures=_figures_from_post(request.POST))
                messages.success(request, "已保存年度报告。")
                return redirect("govsites_disclosure:report", report_id=report.pk)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    context = reports.report_context(report)
    figures = report.manual_figures or {}
    context.update({
        "form": form, "can_handle": can_handle,
        "late_items": library.late_proactive_items(report.body, report.year),
        "proactive_days": library.proactive_working_days(),
        "manual_rows": [(key, article, label, figures.get(key, 0))
                        for key, article, label in report_format.MANUAL_TABLE_TWO],
        "review_inputs": [(part, label, [(col, col_label, (figures.get(part) or {}).get(col, 0))
                                         for col, col_label in report_format.REVIEW_COLUMNS])
                          for part, label in report_format.REVIEW_PARTS],
    })
    return render(request, "disclosure/admin/report_detail.html", context)


def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as PDF; refused with the reason while table 三 does not balance."""
    _require_reader(request)
    report = policies.get_report_for(user=request.user, report_id=report_id)
    try:
        pdf = reports.render_pdf(report)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("govsites_disclosure:report", report_id=report.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.year}.pdf"'
    return response


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _stat_rows(stats: selectors.CaseStatistics) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    rows += [("状态", _label(RequestState, k), v) for k, v in sorted(stats.by_state.items())]
    rows += [("办理结果", _label(Result, k), v) for k, v in sorted(stats.by_result.items())]
    rows += [("申请人类型", _label(ApplicantType, k), v)
             for k, v in sorted(stats.by_applicant_type.items())]
    rows += [("公开主体", k, v) for k, v in sorted(stats.by_body.items())]
    return rows


def statistics(request: HttpRequest) -> HttpResponse:
    """Cases by state, result, applicant type and body; timeliness; CSV or XLSX export."""
    _require_reader(request)
    bodies = policies.bodies_for(request.user)
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    stats = selectors.statistics(bodies, year=year)
    rows = _stat_rows(stats)
    export = request.GET.get("format", "")
    if export == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["分组", "项目", "件数"])
        writer.writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="disclosure-statistics.csv"'
        return response
    if export == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "依申请公开统计"
        sheet.append(["分组", "项目", "件数"])
        for row in rows:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = 'attachment; filename="disclosure-statistics.xlsx"'
        return response
    top = max([v for _g, _l, v in rows] or [1])
    return render(request, "disclosure/admin/statistics.html", {
        "stats": stats, "rows": [(g, label, v, int(100 * v / top)) for g, label, v in rows],
        "year": year or "", "this_year": timezone.localdate().year})
