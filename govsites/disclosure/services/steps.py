"""The steps of an accepted request up to its reply: handler, correction, extension, fee,
lapse, reply and 转主动公开 (条例第30、33、36至44条)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites import rules
from govsites.core import audit

from .. import audit as actions
from .. import clock, notices, policies
from ..choices import (
    DELIVERING_RESULTS,
    REPLY_RESULTS,
    DeliveryMethod,
    PauseKind,
    RequestState,
    Result,
)
from ..models import DisclosureRequest, RequestPause
from .common import (
    TransitionRefused,
    _add,
    _date_text,
    _event,
    _locked,
    _require_state,
    _site_of,
    _tell_applicant,
    _today,
    _transition,
)


def assign_handler(*, request: DisclosureRequest, acting_user: Any,
                   handler: Any) -> DisclosureRequest:
    """Name the case's 承办人 (someone who may handle the body's cases)."""
    with transaction.atomic():
        request = _locked(request, acting_user)
        if not policies.can_handle(handler, request.body):
            raise ValidationError({"handler": _("承办人须为本单位工作人员。")})
        request.handler = handler
        _transition(request, action="assign", from_state=request.state, on=_today(),
                    actor=acting_user, note=_("指定承办人：%(name)s") % {"name": str(handler)},
                    extra={"handler": handler.pk})
    return request


def request_correction(*, request: DisclosureRequest, acting_user: Any, note: str,
                       on: dt.date | None = None) -> DisclosureRequest:
    """Tell the applicant once what to correct, within the notice period (条例第30条)."""
    on = on or _today()
    if not note.strip():
        raise ValidationError({"note": _("请写明需要补正的事项。")})
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.ACCEPTED}, _("只有已受理的申请可以告知补正。"))
        if request.events.filter(action="correction").exists():
            raise TransitionRefused(_("补正只能一次性告知，本申请已告知过补正。"))
        if request.correction_notice_due and on > request.correction_notice_due:
            raise TransitionRefused(_("已超过收到申请之日起%(days)s个工作日的补正告知期限（%(due)s）。") % {
                "days": clock.periods(_site_of(request.body)).correction_notice,
                "due": request.correction_notice_due.isoformat()})
        p = clock.periods(_site_of(request.body))
        request.state = RequestState.CORRECTION
        request.correction_due = _add(on, p.correction_period)
        _transition(request, action="correction", from_state=RequestState.ACCEPTED, on=on,
                    actor=acting_user, note=note,
                    extra={"correction_due": str(request.correction_due)})
        _tell_applicant(request, _("政府信息公开申请补正告知"),
                        _("您的申请（编号%(ref)s）需要补正：%(note)s。请于%(due)s前补正，逾期未补正的视为放弃申请。") % {
                            "ref": request.reference, "note": note.strip(),
                            "due": _date_text(request.correction_due)})
    return request


def receive_correction(*, request: DisclosureRequest, acting_user: Any, note: str = "",
                       on: dt.date | None = None) -> DisclosureRequest:
    """Record the corrected request: the reply period restarts from that day (条例第30条)."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.CORRECTION}, _("该申请不在待补正状态。"))
        if request.correction_due and on > request.correction_due:
            raise TransitionRefused(_("补正期限已过，申请视为放弃。"))
        request.state = RequestState.ACCEPTED
        request.clock_start = on
        _transition(request, action="corrected", from_state=RequestState.CORRECTION, on=on,
                    actor=acting_user, note=note or _("收到补正后的申请，重新计算答复期限"))
    return request




def extend(*, request: DisclosureRequest, acting_user: Any, days: int, reason: str,
           on: dt.date | None = None) -> DisclosureRequest:
    """Extend the reply period, approved by the office's head, applicant told (第33条).

    The extension is at most the rule's number of working days in total, so the period never
    exceeds its cap; the approver is never the case's handler.
    """
    on = on or _today()
    if not reason.strip():
        raise ValidationError({"reason": _("请写明延期理由。")})
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.ACCEPTED, RequestState.THIRD_PARTY,
                                 RequestState.OTHER_AGENCY, RequestState.FEE_DUE},
                       _("该申请当前不能延期。"))
        policies.refuse_unless(policies.can_approve_extension(acting_user, request),
                               _("延期须经信息公开工作机构负责人同意，承办人本人不能批准。"))
        p = clock.periods(_site_of(request.body))
        if days < 1 or request.extension_days + days > p.extension:
            raise TransitionRefused(_("延长答复期限最长不超过%(max)s个工作日（已延长%(used)s个）。") % {
                "max": p.extension, "used": request.extension_days})
        if request.deadline is not None and on > request.deadline:
            raise TransitionRefused(_("答复期限已过，不能再延期。"))
        request.extension_days += days
        request.extension_approved_by = acting_user
        _transition(request, action="extend", from_state=request.state, on=on,
                    actor=acting_user, note=_("延长答复期限%(days)s个工作日：%(reason)s") % {
                        "days": days, "reason": reason.strip()},
                    extra={"days": days, "total": request.extension_days})
        _tell_applicant(request, _("政府信息公开申请延期答复告知"),
                        _("您的申请（编号%(ref)s）经本机关信息公开工作机构负责人同意，延长答复期限%(days)s个工作日，将于%(due)s前答复。") % {
                            "ref": request.reference, "days": days,
                            "due": _date_text(request.deadline)})
    return request


def issue_fee_notice(*, request: DisclosureRequest, acting_user: Any,
                     on: dt.date | None = None) -> DisclosureRequest:
    """Send the 收费通知; the clock pauses until payment (国办函〔2020〕109号)."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.ACCEPTED}, _("只有已受理的申请可以发出收费通知。"))
        if request.fee_yuan <= 0:
            raise TransitionRefused(_("该申请不需缴纳信息处理费。"))
        p = clock.periods(_site_of(request.body))
        request.fee_due_on = _add(on, p.fee_payment)
        RequestPause.objects.create(request=request, kind=PauseKind.FEE, started_on=on,
                                    due_on=request.fee_due_on)
        request.state = RequestState.FEE_DUE
        _transition(request, action="fee_notice", from_state=RequestState.ACCEPTED, on=on,
                    actor=acting_user, note=_("发出收费通知：本月第%(n)s件申请，信息处理费%(fee)s元，缴费期限%(due)s") % {
                        "n": request.month_ordinal, "fee": request.fee_yuan,
                        "due": request.fee_due_on},
                    extra={"fee_yuan": request.fee_yuan})
        _tell_applicant(request, _("政府信息公开信息处理费收费通知"),
                        _("您的申请（编号%(ref)s）为本月第%(n)s件，应缴纳信息处理费%(fee)s元，请于%(due)s前缴纳；逾期未缴纳的，本机关不再处理该申请。") % {
                            "ref": request.reference, "n": request.month_ordinal,
                            "fee": request.fee_yuan, "due": _date_text(request.fee_due_on)})
    return request


def record_fee_paid(*, request: DisclosureRequest, acting_user: Any,
                    on: dt.date | None = None) -> DisclosureRequest:
    """Record payment; the clock runs again from the next day."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.FEE_DUE}, _("该申请没有待缴的信息处理费。"))
        if request.fee_due_on and on > request.fee_due_on:
            raise TransitionRefused(_("缴费期限已过。"))
        request.pauses.filter(kind=PauseKind.FEE, ended_on__isnull=True).update(ended_on=on)
        request.fee_paid_on = on
        request.state = RequestState.ACCEPTED
        _transition(request, action="fee_paid", from_state=RequestState.FEE_DUE, on=on,
                    actor=acting_user, note=_("已缴纳信息处理费"))
    return request


def close_lapsed(*, request: DisclosureRequest, acting_user: Any,
                 on: dt.date | None = None) -> DisclosureRequest:
    """Close a case whose correction or payment period has lapsed (其他处理, table 三 (六))."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        if request.state == RequestState.CORRECTION:
            due, result = request.correction_due, Result.OTHER_NO_CORRECTION
            note = _("申请人无正当理由逾期不补正，视为放弃申请")
        elif request.state == RequestState.FEE_DUE:
            due, result = request.fee_due_on, Result.OTHER_FEE_UNPAID
            note = _("申请人逾期未按收费通知要求缴纳费用，不再处理该申请")
            request.pauses.filter(kind=PauseKind.FEE, ended_on__isnull=True).update(ended_on=on)
        else:
            raise TransitionRefused(_("只有待补正或待缴费的申请会因逾期而办结。"))
        if due is None or on <= due:
            raise TransitionRefused(_("期限（%(due)s）尚未届满。") % {"due": due})
        from_state = request.state
        request.state = RequestState.REPLIED
        request.result = result
        request.closed_on = on
        request.deadline = None
        _transition(request, action="lapse", from_state=from_state, on=on, actor=acting_user,
                    note=note, extra={"result": result})
    return request


def reply(*, request: DisclosureRequest, acting_user: Any, result: str, reply_text: str,
          on: dt.date | None = None, document: Any = None) -> DisclosureRequest:
    """Answer the request with one result of table 三 and its 告知书 (条例第36至40条).

    A result that provides information (予以公开, 部分公开) asked for by download gets a link
    valid for the rule's number of days; the 告知书 text comes from the editable template.
    """
    on = on or _today()
    if result not in [r.value for r in REPLY_RESULTS]:
        raise ValidationError({"result": _("请选择答复类型。")})
    if not reply_text.strip():
        raise ValidationError({"reply_text": _("请填写答复内容（告知理由或获取方式）。")})
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.ACCEPTED},
                       _("只有已受理且不在征求意见、补正或缴费中的申请可以答复。"))
        if (result in DELIVERING_RESULTS and request.delivery_method == DeliveryMethod.DOWNLOAD
                and document is None):
            raise ValidationError({"document": _("申请人选择网上下载，请上传提供的政府信息。")})
        from_state = request.state
        request.state = RequestState.REPLIED
        request.result = result
        request.reply_text = reply_text.strip()
        request.closed_on = on
        request.delivered_document = document
        if document is not None:
            valid_days = int(rules.value("disclosure.reply.download_valid_days",
                                         site=_site_of(request.body)))
            request.download_token = secrets.token_urlsafe(24)
            request.download_expires_at = timezone.now() + dt.timedelta(days=valid_days)
        request.notice_text = notices.compose(request)
        _transition(request, action="reply", from_state=from_state, on=on, actor=acting_user,
                    note=str(Result(result).label), extra={"result": result},
                    audit_action=actions.REQUEST_REPLY)
        _tell_applicant(request, _("政府信息公开申请答复"),
                        _("您的申请（编号%(ref)s）已答复：%(result)s。请凭申请编号和查询码查看告知书。") % {
                            "ref": request.reference, "result": Result(result).label})
    return request


def mark_proactive(*, request: DisclosureRequest, acting_user: Any) -> DisclosureRequest:
    """Record that the office moves the information to 主动公开 (条例第44条)."""
    with transaction.atomic():
        request = _locked(request, acting_user)
        request.proactive_suggested = True
        request.save(update_fields=["proactive_suggested"])
        _event(request, action="to_proactive", from_state=request.state, on=_today(),
               actor=acting_user, note=_("多人申请同一政府信息，纳入主动公开范围"))
        audit.record(action=actions.REQUEST_PROACTIVE, actor=acting_user, obj=request,
                     organisation=request.body.organisation_id,
                     details={"subject_key": request.subject_key})
    return request
