"""Admin: 留言办理 (list, one message with its steps and actions) and 找错留言 (list, answer, import).

Thin: each view finds the record through `policies`, calls one service, and shows the
service's one-sentence refusal when there is one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsites.core.notifications import mask_mobile

from . import error_reports, policies, services
from .choices import EnquiryStatus, ErrorReportStatus, InvalidReason, ReplyStatus
from .models import ErrorReport, HotlineForward, Reply

PAGE_SIZE = 30


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise Http404


def enquiry_list(request: HttpRequest) -> HttpResponse:
    """Messages the user's organisation handles, open ones first, with their deadlines."""
    _require_staff(request)
    status = request.GET.get("status", "open")
    queryset = policies.visible_enquiries(request.user)
    if status == "open":
        queryset = queryset.filter(status__in=[EnquiryStatus.HELD, EnquiryStatus.RECEIVED,
                                               EnquiryStatus.ACCEPTED]).order_by("reply_due")
    elif status == "overdue":
        queryset = queryset.filter(status__in=[EnquiryStatus.RECEIVED, EnquiryStatus.ACCEPTED,
                                               EnquiryStatus.HELD],
                                   reply_due__lt=timezone.localdate()).order_by("reply_due")
    elif status in EnquiryStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "interaction/admin/enquiry_list.html", {
        "page_obj": page, "status": status, "statuses": EnquiryStatus.choices,
        "today": timezone.localdate()})


def _enquiry(request: HttpRequest, enquiry_id: int) -> Any:
    _require_staff(request)
    try:
        return policies.get_enquiry_for(user=request.user, enquiry_id=enquiry_id)
    except policies.EnquiryNotFound:
        raise Http404("没有这条留言") from None


def enquiry_detail(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    """One message: the writer's details (for staff only), the steps, the replies, the actions."""
    from govsites.sites.selectors import organisations

    enquiry = _enquiry(request, enquiry_id)
    pending = enquiry.replies.filter(status=ReplyStatus.PENDING).select_related("author").first()
    return render(request, "interaction/admin/enquiry_detail.html", {
        "enquiry": enquiry, "events": enquiry.events.select_related(
            "actor", "organisation", "to_organisation"),
        "replies": enquiry.replies.select_related("author", "approver", "organisation"),
        "pending": pending, "masked_mobile": mask_mobile(enquiry.writer_mobile),
        "can_handle": policies.can_handle(request.user, enquiry),
        "can_approve": pending is not None and policies.can_approve(request.user, enquiry)
        and pending.author_id != request.user.pk,
        "reasons": InvalidReason.choices,
        "hotline": HotlineForward.objects.filter(enquiry=enquiry).first(),
        "organisations": organisations().exclude(pk=enquiry.handling_organisation_id),
        "today": timezone.localdate()})


@require_POST
def enquiry_action(request: HttpRequest, enquiry_id: int, action: str) -> HttpResponse:
    """Run one handling step (release, accept, reject, transfer, draft, approve, return)."""
    from govsites.sites.selectors import organisations

    enquiry = _enquiry(request, enquiry_id)
    user, data = request.user, request.POST
    done = {"release": "已放行", "accept": "已受理", "reject": "已标为不予受理",
            "transfer": "已转办", "draft": "答复已提交审核", "approve": "答复已审核通过并公开",
            "return": "答复已退回", "faq": "已整理为常见问题"}
    if action not in done:
        raise Http404
    try:
        if action == "release":
            services.release_enquiry(enquiry=enquiry, acting_user=user, note=data.get("note", ""))
        elif action == "accept":
            services.accept_enquiry(enquiry=enquiry, acting_user=user)
        elif action == "reject":
            services.reject_enquiry(enquiry=enquiry, acting_user=user,
                                    reason=data.get("reason", ""), note=data.get("note", ""))
        elif action == "transfer":
            raw = data.get("organisation", "")
            target = organisations().filter(pk=int(raw)).first() if raw.isdigit() else None
            services.transfer_enquiry(enquiry=enquiry, acting_user=user, to_organisation=target,
                                      note=data.get("note", ""))
        elif action == "faq":
            from .faq import curate_from_enquiry

            curate_from_enquiry(enquiry=enquiry, acting_user=user,
                                question=data.get("question", ""))
        elif action == "draft":
            services.draft_reply(enquiry=enquiry, acting_user=user, body=data.get("body", ""))
        else:
            reply = Reply.objects.filter(enquiry=enquiry, status=ReplyStatus.PENDING).first()
            if reply is None:
                raise ValidationError("没有待审核的答复。")
            if action == "approve":
                services.approve_reply(reply=reply, acting_user=user, note=data.get("note", ""))
            else:
                services.return_reply(reply=reply, acting_user=user, note=data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done[action])
    return HttpResponseRedirect(reverse("interaction_enquiry", args=[enquiry.pk]))


def enquiry_attachment(request: HttpRequest, enquiry_id: int, attachment_id: int) -> HttpResponse:
    """Download a message's attachment (decrypted; staff who may read the message only)."""
    from govsites.core import crypto

    enquiry = _enquiry(request, enquiry_id)
    attachment = enquiry.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("没有这个附件")
    response = HttpResponse(crypto.open_sealed_bytes(attachment.sealed_data),
                            content_type=attachment.content_type)
    response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def error_report_list(request: HttpRequest) -> HttpResponse:
    """找错留言 of the user's sites, open ones first; import from the national platform."""
    from govsites.sites.selectors import all_sites

    _require_staff(request)
    status = request.GET.get("status", "open")
    queryset = policies.visible_error_reports(request.user)
    if status == "open":
        queryset = queryset.exclude(status=ErrorReportStatus.REPLIED).order_by("received_at")
    elif status in ErrorReportStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("p"))
    return render(request, "interaction/admin/error_report_list.html", {
        "page_obj": page, "status": status, "statuses": ErrorReportStatus.choices,
        "sites": all_sites(), "today": timezone.localdate()})


@require_POST
def error_report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """Forward or answer a 找错 report."""
    _require_staff(request)
    report: ErrorReport | None = policies.visible_error_reports(request.user).filter(
        pk=report_id).first()
    if report is None or action not in ("forward", "reply"):
        raise Http404
    try:
        if action == "forward":
            error_reports.forward_error_report(report=report, acting_user=request.user)
        else:
            error_reports.reply_to_error_report(report=report, acting_user=request.user,
                                                reply=request.POST.get("reply", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已转交" if action == "forward" else "已答复")
    return HttpResponseRedirect(reverse("interaction_error_reports"))


@require_POST
def error_report_import(request: HttpRequest) -> HttpResponse:
    """Import an export of the national platform (CSV or JSON) for one site."""
    from govsites.accounts.policies import organisation_scope
    from govsites.sites.selectors import all_sites

    _require_staff(request)
    raw = request.POST.get("site", "")
    site = all_sites().filter(pk=int(raw)).first() if raw.isdigit() else None
    upload = request.FILES.get("file")
    scope = organisation_scope(request.user)
    if site is None or upload is None:
        messages.error(request, "请选择网站和要导入的文件。")
    elif not (scope.everywhere or site.host_organisation_id in scope.organisation_ids):
        messages.error(request, "只能为本单位的网站导入找错留言。")
    elif (upload.size or 0) > 5 * 1024 * 1024:
        messages.error(request, "导入文件不能超过 5 MB。")
    else:
        try:
            result = error_reports.import_error_reports(
                site=site, data=upload.read(), filename=upload.name or "",
                acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"导入 {result.created} 条，已存在而跳过 {result.skipped} 条。")
    return HttpResponseRedirect(reverse("interaction_error_reports"))


def consultation_list(request: HttpRequest) -> HttpResponse:
    """意见征集 of the user's organisation: state, comments to moderate, 采纳情况 due or late."""
    from .models import Consultation

    _require_staff(request)
    scope = policies.read_scope(request.user)
    queryset = Consultation.objects.select_related("site", "organisation")
    if not scope.everywhere:
        queryset = queryset.filter(organisation_id__in=scope.organisation_ids)
    return render(request, "interaction/admin/consultation_list.html", {
        "items": list(queryset), "today": timezone.localdate()})


def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """One consultation: pending comments to moderate and the 采纳情况 form."""
    from .models import Consultation

    _require_staff(request)
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not policies.can_manage_consultation(request.user, consultation):
        raise Http404("没有这项意见征集")
    return render(request, "interaction/admin/consultation_detail.html", {
        "consultation": consultation, "comments": consultation.comments.all()})


@require_POST
def consultation_action(request: HttpRequest, consultation_id: int, action: str) -> HttpResponse:
    """Publish or reject a comment, or publish the 采纳情况."""
    from . import consultations
    from .models import Consultation, ConsultationComment

    _require_staff(request)
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or action not in ("publish", "reject", "adoption"):
        raise Http404
    try:
        if action == "adoption":
            consultations.publish_adoption(consultation=consultation, acting_user=request.user,
                                           text=request.POST.get("adoption", ""))
        else:
            raw = request.POST.get("comment", "")
            comment = ConsultationComment.objects.filter(
                pk=int(raw) if raw.isdigit() else 0, consultation=consultation).first()
            if comment is None:
                raise ValidationError("没有这条意见。")
            consultations.moderate_comment(comment=comment, acting_user=request.user,
                                           publish=action == "publish")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, {"publish": "意见已公开", "reject": "意见不予公开",
                                   "adoption": "采纳情况已公布"}[action])
    return HttpResponseRedirect(reverse("interaction_consultation", args=[consultation.pk]))
