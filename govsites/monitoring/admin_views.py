"""Admin views of monitoring beyond the generic listings: 立即检查 with its progress, the
inspection report with 整改单 from findings, 复查 of a ticket and 确认 of an uptime alert.

Each view parses input, asks `policies`, calls one service and renders the result.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govsites.core.calendar import CalendarDataMissing

from . import netguard, policies, reports, services
from .choices import TicketStatus
from .models import Inspection

DEFAULT_PAGE_BUDGET = 500


class StartInspectionForm(forms.Form):
    """What 立即检查 asks: which site, how many pages, and whether to crawl the 繁体 copies."""

    site = forms.TypedChoiceField(label="网站", coerce=int)
    max_pages = forms.IntegerField(label="页面预算", min_value=1,
                                   max_value=services.MAX_PAGE_BUDGET, initial=DEFAULT_PAGE_BUDGET,
                                   help_text="最多抓取的页面数；附件和外部链接只检查，不占预算。")
    include_traditional = forms.BooleanField(
        label="包含繁体页面", required=False,
        help_text="同时抓取 /zh-hant/ 下的繁体副本（内容与简体页面相同，默认不抓取）。")

    def __init__(self, *args: Any, sites: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.TypedChoiceField)
        site_field.choices = [("", "请选择网站")] + [
            (p.pk, f"{p.name}（{p.domain}）") for p in sites]


def inspection_start(request: HttpRequest) -> HttpResponse:
    """立即检查: choose a site and a page budget; the inspection runs as a task."""
    sites = policies.sites_to_inspect(request.user)
    if not sites:
        raise Http404
    form = StartInspectionForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        site = policies.get_site_to_inspect(user=request.user, site_id=form.cleaned_data["site"])
        try:
            inspection = services.request_inspection(
                site=site, acting_user=request.user, max_pages=form.cleaned_data["max_pages"],
                include_traditional=form.cleaned_data["include_traditional"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已发起对“%(site)s”的检查，完成后自动显示检查报告。")
                             % {"site": site.name})
            return redirect("monitoring_inspections:inspect", inspection.pk)
    return TemplateResponse(request, "monitoring/admin/inspection_start.html",
                            {"form": form, "back": reverse("monitoring_inspections:index")})


def progress_payload(inspection: Inspection) -> dict[str, Any]:
    """What the progress display shows of a queued or running inspection."""
    at = inspection.progress_at or inspection.started_at or inspection.requested_at
    return {"status": inspection.status, "status_label": inspection.get_status_display(),
            "in_progress": inspection.in_progress, "pages": inspection.pages_crawled,
            "max_pages": inspection.max_pages, "links": inspection.links_checked,
            "queued": inspection.queued_links, "error": inspection.error,
            "updated_at": timezone.localtime(at).strftime("%H:%M:%S") if at else ""}


def inspection_progress(request: HttpRequest, inspection_id: int) -> JsonResponse:
    """The progress of an inspection, polled by its page while it runs."""
    inspection = policies.get_inspection_for(user=request.user, inspection_id=inspection_id)
    return JsonResponse(progress_payload(inspection))


def inspection_report_file(request: HttpRequest, inspection_id: int, fmt: str) -> HttpResponse:
    """The stored report as the same HTML or PDF file the `inspect` command writes."""
    inspection = policies.get_inspection_for(user=request.user, inspection_id=inspection_id)
    if fmt not in ("html", "pdf") or not inspection.report:
        raise Http404
    html = reports.render_inspection_html(inspection.report)
    name = f"inspection-{inspection.pk}"
    if fmt == "pdf":
        response = HttpResponse(reports.html_to_pdf_bytes(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.html"'
    return response


@require_POST
def inspection_open_tickets(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """开具整改单 for the findings chosen on the report (one finding, or a whole rule group)."""
    inspection = policies.get_inspection_for_tickets(user=request.user, inspection_id=inspection_id)
    back = reverse("monitoring_inspections:inspect", args=[inspection.pk])
    try:
        indexes = [int(value) for value in request.POST.getlist("finding")]
    except ValueError:
        indexes = []
    if not indexes:
        messages.error(request, _("没有选择要开具整改单的问题。"))
        return redirect(back)
    try:
        created = services.open_tickets_from_findings(inspection=inspection,
                                                      finding_indexes=indexes,
                                                      acting_user=request.user)
    except (ValueError, CalendarDataMissing) as exc:
        messages.error(request, _("无法开具整改单：%(reason)s") % {"reason": exc})
        return redirect(back)
    covered = len(set(indexes)) - len(created)
    if created:
        numbers = "、".join(f"#{t.pk}" for t in created)
        text = _("已开具整改单 %(numbers)s，整改期限 %(deadline)s。") % {
            "numbers": numbers, "deadline": created[0].deadline.isoformat()}
        if covered:
            text += _("另有 %(n)s 个问题已有未销号的整改单，未重复开具。") % {"n": covered}
        messages.success(request, text)
        return redirect(f"{back}#rule-{slugify(created[0].rule_id)}")  # back to the finding's group
    messages.warning(request, _("所选问题都已有未销号的整改单，未重复开具。"))
    return redirect(back)


def ticket_recheck(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Confirm (GET), then re-check a ticket (POST) through `services.recheck_ticket`.

    The ticket closes only when the re-check passes; either way the page says so in Chinese.
    """
    ticket = policies.get_ticket_for_recheck(user=request.user, ticket_id=ticket_id)
    back = reverse("monitoring_tickets:inspect", args=[ticket.pk])
    if ticket.status != TicketStatus.OPEN:
        messages.error(request, _("整改单 #%(pk)s 已销号，无需复查。") % {"pk": ticket.pk})
        return redirect(back)
    if request.method != "POST":
        return TemplateResponse(request, "monitoring/admin/ticket_recheck.html",
                                {"ticket": ticket, "back": back})
    try:
        ticket = services.recheck_ticket(ticket=ticket, acting_user=request.user)
    except netguard.TargetNotAllowed as exc:
        messages.error(request, _("无法复查：%(reason)s") % {"reason": exc})
        return redirect(back)
    except ValueError as exc:  # closed meanwhile by someone else
        messages.error(request, str(exc))
        return redirect(back)
    last = ticket.events.order_by("-at", "-pk").first()
    note = last.note if last is not None else ""
    if ticket.status == TicketStatus.CLOSED:
        messages.success(request, _("复查通过，整改单 #%(pk)s 已销号：%(note)s")
                         % {"pk": ticket.pk, "note": note})
    else:
        messages.error(request, _("复查未通过，整改单 #%(pk)s 仍待整改：%(note)s")
                       % {"pk": ticket.pk, "note": note})
    return redirect(back)


class AcknowledgeAlertForm(forms.Form):
    acknowledgement = forms.CharField(label="处理说明", max_length=500,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="例如：已联系承办单位排查，服务器已恢复。")


def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    """确认 an uptime alert with a note of what was done (the alert itself stays as raised)."""
    alert = policies.get_alert_for_acknowledgement(user=request.user, alert_id=alert_id)
    back = reverse("monitoring_alerts:inspect", args=[alert.pk])
    if alert.acknowledged_at is not None:
        messages.error(request, _("该告警已确认，无需再次确认。"))
        return redirect(back)
    form = AcknowledgeAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_alert(alert=alert, note=form.cleaned_data["acknowledgement"],
                                       acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        else:
            messages.success(request, _("已确认可用性告警。"))
            return redirect(back)
    return TemplateResponse(request, "monitoring/admin/alert_acknowledge.html",
                            {"alert": alert, "form": form, "back": back})
