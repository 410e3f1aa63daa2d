"""Admin: 年度报表 — list, compile, revise figures with reasons, review, publish, download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import policies, report_export, reports
from .models import AnnualReport, FigureOrigin, ReportKind, ReportStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CompileForm(forms.Form):
    """生成报表: which site, which year, which report."""

    site = forms.TypedChoiceField(label="网站", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2017)
    kind = forms.ChoiceField(label="报表", choices=ReportKind.choices)

    def __init__(self, *args: Any, sites: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(s.pk, s.name) for s in sites]
        self.fields["year"].initial = timezone.localdate().year - 1


def _report_for(request: HttpRequest, report_id: int) -> AnnualReport:
    report = AnnualReport.objects.select_related("site").filter(pk=report_id).first()
    if report is None or not policies.visible_sites(request.user).filter(pk=report.site_id).exists():
        raise PermissionDenied
    return report


def _refusal(exc: reports.ReportRefused) -> str:
    return "；".join(str(m) for m in exc.messages)


def report_list(request: HttpRequest) -> HttpResponse:
    """The reports of the sites the user may see, and 生成报表."""
    if not policies.has_operations_role(request.user):
        raise PermissionDenied
    sites = list(policies.visible_sites(request.user))
    form = CompileForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        site = policies.get_site_for(user=request.user, site_id=form.cleaned_data["site"])
        kind = form.cleaned_data["kind"]
        if kind == ReportKind.SUPERVISION and not policies.sees_whole_cluster(request.user):
            raise PermissionDenied
        try:
            report = reports.compile_report(kind=kind, site=site, year=form.cleaned_data["year"],
                                            acting_user=request.user)
        except reports.ReportRefused as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, f"已生成：{report}")
            return redirect("operations_report", report_id=report.pk)
    rows = AnnualReport.objects.filter(site__in=sites).select_related("site")
    return render(request, "operations/admin/report_list.html", {
        "form": form, "reports": rows, "today": timezone.localdate()})


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """A report's figures with their sources; a draft's figures can be changed with reasons."""
    report = _report_for(request, report_id)
    editable = report.status != ReportStatus.PUBLISHED
    if request.method == "POST" and editable:
        changes = {}
        for fig in report.figures.all():
            new = request.POST.get(f"value-{fig.key}")
            if new is None:
                continue
            reason = request.POST.get(f"reason-{fig.key}", "")
            if new.strip() != fig.value or reason.strip() != fig.reason:
                changes[fig.key] = (new.strip(), reason.strip())
        try:
            reports.revise_figures(report=report, changes=changes, acting_user=request.user)
        except reports.ReportRefused as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, "已保存。")
            return redirect("operations_report", report_id=report.pk)
    context = reports.report_context(report)
    return render(request, "operations/admin/report_detail.html", {
        **context, "editable": editable, "platform": FigureOrigin.PLATFORM,
        "revised": FigureOrigin.REVISED, "late": timezone.localdate() > report.deadline,
        "published_url": _published_url(report)})


def _published_url(report: AnnualReport) -> str:
    if not report.published_page_id:
        return ""
    from wagtail.models import Page

    page = Page.objects.filter(pk=report.published_page_id).first()
    return page.full_url or "" if page is not None else ""


@require_POST
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """审核 / 发布 / 重新生成 a report."""
    report = _report_for(request, report_id)
    try:
        if action == "review":
            reports.review_report(report=report, acting_user=request.user)
            messages.success(request, "报表已审核，可以发布。")
        elif action == "publish":
            reports.publish_report(report=report, acting_user=request.user)
            messages.success(request, "报表已发布到门户网站的“信息公开目录”，并转载到首页“年度报表”栏目。"
                             if report.kind == ReportKind.SUPERVISION
                             else "报表已发布到网站首页的“年度报表”栏目。")
        elif action == "compile":
            reports.compile_report(kind=report.kind, site=report.site, year=report.year,
                                   acting_user=request.user)
            messages.success(request, "已按平台最新数据重新生成（人工填报和修改的数据保留）。")
        else:
            raise PermissionDenied
    except reports.ReportRefused as exc:
        messages.error(request, _refusal(exc))
    return redirect("operations_report", report_id=report.pk)


def report_file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    """The report as HTML or PDF in the national layout, or as its table in CSV or XLSX."""
    report = _report_for(request, report_id)
    name = f"annual-report-{report.site.domain}-{report.year}-{report.kind}"
    if fmt == "pdf":
        response = HttpResponse(reports.render_pdf(report), content_type="application/pdf")
    elif fmt == "html":
        response = HttpResponse(reports.render_html(report), content_type="text/html; charset=utf-8")
    elif fmt == "csv":
        response = HttpResponse(report_export.to_csv(report), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(report_export.to_xlsx(report), content_type=XLSX_TYPE)
    else:
        raise PermissionDenied
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
