"""Admin casework (信息公开 → 依申请公开): the case list with deadlines and overdue cases, one
case with its history and the steps its state allows, staff registration of written and
oral requests, and the 公开主体 records. Every change goes through services.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model

from govsites.core.calendar import CalendarDataMissing

from . import notices, policies, selectors, services
from .choices import ConsultationOutcome, IdType, RequestState
from .forms import ConsultedForm, ConsultForm, ExtendForm, RegistrationForm, ReplyForm, StepForm
from .models import DisclosureBody, DisclosureRequest


def _require_reader(request: HttpRequest) -> None:
    if not policies.can_use_disclosure_admin(request.user):
        raise PermissionDenied


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def case_list(request: HttpRequest) -> HttpResponse:
    """Cases of the bodies the user may read, newest first; filter by state, body, overdue."""
    _require_reader(request)
    bodies = policies.bodies_for(request.user)
    body_id = request.GET.get("body", "")
    if body_id.isdigit():
        bodies = bodies.filter(pk=int(body_id))
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    rows = selectors.cases(bodies, state=state if state in RequestState.values else "",
                           overdue=overdue, today=today)[:300]
    listed = []
    for case in rows:
        try:
            left = selectors.working_days_left(case, today=today) if case.is_open() else None
        except CalendarDataMissing:
            left = None
        listed.append({"case": case, "left": left})
    return render(request, "disclosure/admin/case_list.html", {
        "rows": listed, "bodies": policies.bodies_for(request.user), "body_id": body_id,
        "states": RequestState.choices, "state": state, "overdue": overdue,
        "overdue_count": selectors.overdue_cases(
            selectors.cases(policies.bodies_for(request.user)), today=today).count(),
    })


STEPS: dict[str, tuple[str, type[StepForm], Callable[..., DisclosureRequest]]] = {}


def _step(name: str, label: str, form: type[StepForm]) -> Callable[[Callable[..., Any]],
                                                                    Callable[..., Any]]:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        STEPS[name] = (label, form, func)
        return func
    return wrap


@_step("confirm", "确认收到并受理", StepForm)
def _confirm(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.confirm_receipt(request=case, acting_user=user, on=data["on"])


@_step("correction", "一次性告知补正", StepForm)
def _correction(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.request_correction(request=case, acting_user=user, note=data["note"],
                                       on=data["on"])


@_step("corrected", "收到补正申请", StepForm)
def _corrected(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.receive_correction(request=case, acting_user=user, note=data["note"],
                                       on=data["on"])


@_step("consult", "征求意见（暂停计时）", ConsultForm)
def _consult(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.start_consultation(request=case, acting_user=user, kind=data["kind"],
                                       party=data["party"], on=data["on"])


@_step("consulted", "征求意见结束（恢复计时）", ConsultedForm)
def _consulted(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.end_consultation(request=case, acting_user=user, note=data["note"],
                                     on=data["on"],
                                     outcome=data["outcome"] or ConsultationOutcome.ANSWERED)


@_step("consult_lapsed", "征求意见逾期（视为同意或由本机关决定）", StepForm)
def _consult_lapsed(case: DisclosureRequest, user: Any,
                    data: dict[str, Any]) -> DisclosureRequest:
    return services.lapse_consultation(request=case, acting_user=user, on=data["on"])


@_step("extend", "批准延期（负责人）", ExtendForm)
def _extend(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.extend(request=case, acting_user=user, days=data["days"],
                           reason=data["note"], on=data["on"])


@_step("fee_notice", "发出收费通知", StepForm)
def _fee_notice(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.issue_fee_notice(request=case, acting_user=user, on=data["on"])


@_step("fee_paid", "登记已缴费", StepForm)
def _fee_paid(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.record_fee_paid(request=case, acting_user=user, on=data["on"])


@_step("lapse", "逾期办结（未补正或未缴费）", StepForm)
def _lapse(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    return services.close_lapsed(request=case, acting_user=user, on=data["on"])


@_step("reply", "答复并生成告知书", ReplyForm)
def _reply(case: DisclosureRequest, user: Any, data: dict[str, Any]) -> DisclosureRequest:
    document = None
    upload = data.get("document")
    if upload:
        document = get_document_model()(title=f"{case.reference} 提供的政府信息",
                                        uploaded_by_user=user)
        document.file.save(upload.name, upload, save=True)
    return services.reply(request=case, acting_user=user, result=data["result"],
                          reply_text=data["note"], on=data["on"], document=document)


#: Which steps each state offers (the services refuse anything else anyway).
OFFERED = {
    RequestState.PENDING: ["confirm"],
    RequestState.ACCEPTED: ["reply", "consult", "extend", "correction", "fee_notice"],
    RequestState.CORRECTION: ["corrected", "lapse"],
    RequestState.THIRD_PARTY: ["consulted", "consult_lapsed", "extend"],
    RequestState.OTHER_AGENCY: ["consulted", "consult_lapsed", "extend"],
    RequestState.FEE_DUE: ["fee_paid", "lapse", "extend"],
    RequestState.REPLIED: [],
}


def case_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """One case: applicant (decrypted for staff), clock, history and the next steps."""
    _require_reader(request)
    case = policies.get_request_for(user=request.user, request_id=request_id)
    can_handle = policies.can_handle(request.user, case.body)
    today = timezone.localdate()
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        if request.POST.get("step") == "assign":
            handler = _colleagues(case).filter(pk=request.POST.get("handler") or 0).first()
            if handler is None:
                messages.error(request, "指定承办人未完成：请选择本单位工作人员。")
            else:
                services.assign_handler(request=case, acting_user=request.user, handler=handler)
                messages.success(request, f"已指定承办人：{handler}。")
            return redirect("govsites_disclosure:case", request_id=case.pk)
        if request.POST.get("step") == "to_proactive":
            services.mark_proactive(request=case, acting_user=request.user)
            messages.success(request, "已记录纳入主动公开范围。")
            return redirect("govsites_disclosure:case", request_id=case.pk)
        step = request.POST.get("step", "")
        if step not in STEPS:
            raise Http404
        label, form_class, func = STEPS[step]
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                func(case, request.user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                text = _errors(error) if isinstance(error, ValidationError) else str(error)
                messages.error(request, f"{label}未完成：{text}")
            else:
                messages.success(request, f"已{label}，并记入办理记录和审计日志。")
        else:
            messages.error(request, f"{label}未完成：" + "；".join(
                f"{form.fields[f].label if f in form.fields else ''}{'，'.join(str(m) for m in e)}"
                for f, e in form.errors.items()))
        return redirect("govsites_disclosure:case", request_id=case.pk)
    forms = []
    if can_handle:
        for name in OFFERED[RequestState(case.state)]:
            label, form_class, _func = STEPS[name]
            forms.append({"name": name, "label": label,
                          "form": form_class(initial={"on": today})})
    try:
        left = selectors.working_days_left(case, today=today) if case.is_open() else None
    except CalendarDataMissing as missing:
        left = None
        messages.warning(request, str(missing))
    repeated, suggest = selectors.repeated_subject_count(case)
    identity = selectors.identity_for_staff(case)
    return render(request, "disclosure/admin/case_detail.html", {
        "case": case, "identity": identity,
        "id_type_label": dict(IdType.choices).get(identity.get("id_type", ""), ""),
        "events": case.events.select_related("actor"), "pauses": case.pauses.all(),
        "forms": forms, "can_handle": can_handle, "left": left,
        "repeated": repeated, "suggest_proactive": suggest and not case.proactive_suggested,
        "colleagues": _colleagues(case) if can_handle and case.is_open() else [],
    })


def _colleagues(case: DisclosureRequest) -> Any:
    """Active staff of the case's organisation (who may be named 承办人)."""
    from govsites.accounts.models import User

    return User.objects.filter(is_active=True, organisation_id=case.body.organisation_id
                               ).order_by("username")


def case_notice(request: HttpRequest, request_id: int) -> HttpResponse:
    """The 告知书 PDF of a replied case (for printing and sealing)."""
    _require_reader(request)
    case = policies.get_request_for(user=request.user, request_id=request_id)
    if not case.notice_text:
        raise Http404
    response = HttpResponse(notices.render_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    return response


@require_POST
def case_archive(request: HttpRequest, request_id: int) -> HttpResponse:
    """归档: download a closed case's archive (recorded as a step of the case)."""
    _require_reader(request)
    case = policies.get_request_for(user=request.user, request_id=request_id)
    try:
        data = services.export_case_archive(request=case, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, f"归档导出未完成：{_errors(error)}")
        return redirect("govsites_disclosure:case", request_id=case.pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-archive.zip"'
    return response


def register(request: HttpRequest) -> HttpResponse:
    """Staff register a written or oral request for one of their bodies (条例第29、31条)."""
    _require_reader(request)
    bodies = [b for b in policies.bodies_for(request.user)
              if policies.can_handle(request.user, b)]
    if not bodies:
        raise PermissionDenied
    form = RegistrationForm(request.POST or None)
    chosen = request.POST.get("body") or str(bodies[0].pk)
    if request.method == "POST" and form.is_valid():
        body = next((b for b in bodies if str(b.pk) == chosen), None)
        if body is None:
            form.add_error(None, "请选择公开主体。")
        else:
            try:
                case = services.register_request(
                    body=body, acting_user=request.user, channel=form.cleaned_data["channel"],
                    received_on=form.cleaned_data["received_on"],
                    applicant_type=form.cleaned_data["applicant_type"],
                    organisation_subtype=form.cleaned_data["organisation_subtype"],
                    applicant=form.applicant(), content=form.content())
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errs in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, f"已登记申请 {case.reference}。")
                return redirect("govsites_disclosure:case", request_id=case.pk)
    return render(request, "disclosure/admin/register.html",
                  {"form": form, "bodies": bodies, "chosen": chosen},
                  status=400 if request.method == "POST" else 200)


def body_list(request: HttpRequest) -> HttpResponse:
    """The 公开主体 the user may read, and organisations in scope that have none yet."""
    _require_reader(request)
    return render(request, "disclosure/admin/body_list.html",
                  {"bodies": policies.bodies_for(request.user)})


def body_edit(request: HttpRequest, body_id: int) -> HttpResponse:
    """Edit a body's 信息公开工作机构 data (the 公开指南 is generated from it)."""
    from django.forms import modelform_factory

    _require_reader(request)
    body = DisclosureBody.objects.select_related("organisation").filter(pk=body_id).first()
    if body is None or not policies.can_read(request.user, body):
        raise Http404
    form_class = modelform_factory(DisclosureBody, fields=list(services.BODY_FIELDS))
    form = form_class(request.POST or None, instance=body)
    if request.method == "POST":
        if not policies.can_handle(request.user, body):
            raise PermissionDenied
        if form.is_valid():
            services.save_body(organisation=body.organisation, acting_user=request.user,
                               **{f: form.cleaned_data[f] for f in services.BODY_FIELDS})
            messages.success(request, "已保存公开主体信息。")
            return redirect("govsites_disclosure:bodies")
    return render(request, "disclosure/admin/body_edit.html", {"form": form, "body": body})
