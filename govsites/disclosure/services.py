"""Writes of the disclosure app: requests from receipt to reply (条例第27至45条).

Each service runs in one transaction, checks who acts (policies.py; `acting_user=None` is
the public on the online form, or the platform's own daily job), validates, appends one
`RequestEvent` and writes exactly one audit record. Identity data never reaches an event, an
audit record or a log line. Mail to the applicant goes out after the commit.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites import rules
from govsites.core import audit
from govsites.core.calendar import CalendarDataMissing, WorkingCalendar

from . import audit as actions
from . import clock, fees, identity, notices, policies
from .choices import (
    CONFIRMED_CHANNELS,
    DELIVERING_RESULTS,
    REPLY_RESULTS,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    OrganisationSubtype,
    PauseKind,
    RequestState,
    Result,
)
from .models import DisclosureBody, DisclosureRequest, RequestEvent, RequestPause

BODY_FIELDS = ("office_name", "address", "postcode", "office_hours", "phone", "fax", "email",
               "guide_text", "seal_text", "accepts_online")


class TransitionRefused(ValidationError):
    """A step the case's state or the rules do not allow, with its reason in one sentence."""


@dataclass(frozen=True)
class RequestContent:
    """What is asked (条例第29条第2、3项)."""

    description: str
    document_number: str = ""
    delivery_form: str = DeliveryForm.ELECTRONIC
    delivery_method: str = DeliveryMethod.DOWNLOAD


def _add(start: dt.date, days: int, calendar: WorkingCalendar | None = None) -> dt.date | None:
    """A working-day date, or None when that year's holiday arrangement is not entered yet
    (the case page says so; the date is computed once the year is entered)."""
    try:
        return (calendar or WorkingCalendar()).add_working_days(start, days)
    except CalendarDataMissing:
        return None


def _date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else str(_("（节假日安排录入后确定）"))


def _site_of(body: DisclosureBody) -> Any:
    return body.organisation.sites.order_by("pk").first()


def _today() -> dt.date:
    return timezone.localdate()


# --- bodies -----------------------------------------------------------------------------

def save_body(*, organisation: Any, acting_user: Any, **fields: Any) -> DisclosureBody:
    """Create or change an organisation's 公开主体 record (its 信息公开工作机构, 条例第12条)."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"unknown disclosure body fields: {sorted(unknown)}")
    with transaction.atomic():
        body = DisclosureBody.objects.filter(organisation=organisation).first()
        created = body is None
        if body is None:
            body = DisclosureBody(organisation=organisation)
        if acting_user is not None and not created:
            policies.refuse_unless(policies.can_handle(acting_user, body))
        if acting_user is not None and created:
            policies.refuse_unless(policies.can_handle(acting_user, body))
        for key, value in fields.items():
            setattr(body, key, value)
        body.full_clean()
        body.save()
        audit.record(action=actions.BODY_SAVE, actor=acting_user, obj=body,
                     organisation=organisation,
                     details={"created": created, "fields": sorted(fields)})
    return body


# --- receipt ----------------------------------------------------------------------------

def subject_key(content: RequestContent) -> str:
    """Group requests for the same information: the 文号 if given, else the description."""
    text = content.document_number or content.description
    text = text.translate(str.maketrans("〔〕［］()（）", "[][][][]"))
    return re.sub(r"[\s，,。.、;；:：\"“”'‘’]+", "", text)[:120]


def _validate_request(*, applicant_type: str, organisation_subtype: str,
                      content: RequestContent) -> None:
    errors: dict[str, str] = {}
    if applicant_type not in ApplicantType.values:
        errors["applicant_type"] = _("请选择申请人类型。")
    elif applicant_type == ApplicantType.LEGAL_PERSON:
        if organisation_subtype not in OrganisationSubtype.values:
            errors["organisation_subtype"] = _("请选择法人或其他组织的类型。")
    elif organisation_subtype:
        errors["organisation_subtype"] = _("自然人申请不选择组织类型。")
    if not content.description.strip():
        errors["description"] = _("请填写所需政府信息的名称、文号或者便于查询的其他特征性描述。")
    if content.delivery_form not in DeliveryForm.values:
        errors["delivery_form"] = _("请选择获取信息的载体形式。")
    if content.delivery_method not in DeliveryMethod.values:
        errors["delivery_method"] = _("请选择获取信息的方式。")
    if errors:
        raise ValidationError(errors)


def _new_request(*, body: DisclosureBody, channel: str, applicant_type: str,
                 organisation_subtype: str, applicant: identity.Applicant,
                 content: RequestContent) -> DisclosureRequest:
    _validate_request(applicant_type=applicant_type, organisation_subtype=organisation_subtype,
                      content=content)
    person = identity.validate(applicant, applicant_type)
    ciphertext, key = identity.seal(person)
    now = timezone.now()
    request = DisclosureRequest(
        body=body, reference=f"tmp-{secrets.token_hex(8)}", query_code=secrets.token_hex(4),
        channel=channel, applicant_type=applicant_type,
        organisation_subtype=organisation_subtype if applicant_type ==
        ApplicantType.LEGAL_PERSON else "",
        identity_ciphertext=ciphertext, applicant_key=key,
        description=content.description.strip(), document_number=content.document_number.strip(),
        subject_key=subject_key(content), delivery_form=content.delivery_form,
        delivery_method=content.delivery_method, submitted_at=now,
        state=RequestState.PENDING)
    request.save()
    request.reference = f"GK{timezone.localtime(now).year}{request.pk:06d}"
    request.save(update_fields=["reference"])
    return request


def submit_online_request(*, body: DisclosureBody, applicant_type: str,
                          applicant: identity.Applicant, content: RequestContent,
                          organisation_subtype: str = "") -> DisclosureRequest:
    """File a request from the public form (数据电文); it waits for the office to confirm it.

    The date of receipt of an online request is the day both sides confirm it (条例第31条),
    so the request starts as 待确认 and its clock starts at `confirm_receipt`.
    """
    if not body.accepts_online:
        raise ValidationError(_("该公开主体暂不接受网上申请，请按公开指南所列方式提交。"))
    with transaction.atomic():
        request = _new_request(body=body, channel=Channel.ONLINE, applicant_type=applicant_type,
                               organisation_subtype=organisation_subtype, applicant=applicant,
                               content=content)
        _event(request, action="submit", from_state="", on=_today(), actor=None,
               note=_("网上提交申请"))
        audit.record(action=actions.REQUEST_SUBMIT, obj=request, organisation=body.organisation,
                     details={"channel": request.channel, "reference": request.reference})
    return request


def register_request(*, body: DisclosureBody, acting_user: Any, channel: str,
                     received_on: dt.date, applicant_type: str, applicant: identity.Applicant,
                     content: RequestContent, organisation_subtype: str = "",
                     note: str = "") -> DisclosureRequest:
    """Register a paper, posted, faxed or oral request; it is accepted as of `received_on`.

    `received_on` follows 条例第31条 for the channel: the day of submission in person or
    orally, the office's signing date for registered post, the day the office confirmed an
    ordinary letter with the applicant, the day both sides confirmed a fax.
    """
    policies.refuse_unless(policies.can_handle(acting_user, body))
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": _("请选择书面或口头申请的方式（网上申请由申请人自行提交）。")})
    if received_on > _today():
        raise ValidationError({"received_on": _("收到申请日期不能晚于今天。")})
    with transaction.atomic():
        request = _new_request(body=body, channel=channel, applicant_type=applicant_type,
                               organisation_subtype=organisation_subtype, applicant=applicant,
                               content=content)
        request.handler = acting_user
        _accept(request, received_on)
        _event(request, action="register", from_state=RequestState.PENDING, on=received_on,
               actor=acting_user, note=note or _("登记%(channel)s") % {
                   "channel": request.get_channel_display()})
        audit.record(action=actions.REQUEST_REGISTER, actor=acting_user, obj=request,
                     organisation=body.organisation,
                     details={"channel": channel, "received_on": received_on.isoformat()})
    return request


def confirm_receipt(*, request: DisclosureRequest, acting_user: Any,
                    on: dt.date | None = None) -> DisclosureRequest:
    """Confirm an online or faxed request: that day becomes its date of receipt (第31条)."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.PENDING}, _("只有待确认的申请可以确认收到。"))
        if request.channel not in CONFIRMED_CHANNELS:
            raise TransitionRefused(_("该申请方式的收到日期在登记时确定。"))
        if not timezone.localtime(request.submitted_at).date() <= on <= _today():
            raise ValidationError({"on": _("确认日期应在提交之日至今天之间。")})
        if request.handler_id is None:
            request.handler = acting_user
        _accept(request, on)
        _transition(request, action="confirm", from_state=RequestState.PENDING, on=on,
                    actor=acting_user, note=_("确认收到申请，予以受理"))
    return request


def _accept(request: DisclosureRequest, received_on: dt.date) -> None:
    """Accept as of `received_on`: start the clock, count the month's requests, the fee."""
    site = _site_of(request.body)
    p = clock.periods(site)
    calendar = WorkingCalendar()
    request.received_on = received_on
    request.clock_start = received_on
    request.correction_notice_due = _add(received_on, p.correction_notice, calendar)
    request.state = RequestState.ACCEPTED
    month_start = received_on.replace(day=1)
    earlier = (DisclosureRequest.objects
               .filter(applicant_key=request.applicant_key, body=request.body,
                       received_on__gte=month_start, received_on__lte=received_on)
               .exclude(pk=request.pk).count())
    request.month_ordinal = earlier + 1
    request.fee_yuan = fees.fee_for(request.month_ordinal, fees.rates(site))
    _refresh_deadline(request, calendar=calendar, periods=p)
    request.save()


# --- the clock --------------------------------------------------------------------------

def _refresh_deadline(request: DisclosureRequest, *, calendar: WorkingCalendar | None = None,
                      periods: clock.Periods | None = None) -> None:
    if request.clock_start is None or request.state == RequestState.REPLIED:
        request.deadline = None if request.clock_start is None else request.deadline
        return
    if request.state == RequestState.CORRECTION:
        request.deadline = None
        return
    p = periods or clock.periods(_site_of(request.body))
    pauses = [clock.Pause(x.started_on, x.ended_on) for x in request.pauses.all()]
    try:
        request.deadline = clock.deadline(start=request.clock_start,
                                          working_days=p.reply + request.extension_days,
                                          pauses=pauses, calendar=calendar)
    except CalendarDataMissing:
        request.deadline = None


def refresh_deadline(*, request: DisclosureRequest) -> DisclosureRequest:
    """Recompute the stored deadline (after a holiday table change); no audit, no event."""
    _refresh_deadline(request)
    request.save(update_fields=["deadline"])
    return request


# --- steps ------------------------------------------------------------------------------

def _locked(request: DisclosureRequest, acting_user: Any) -> DisclosureRequest:
    fresh = (DisclosureRequest.objects.select_for_update().select_related("body__organisation")
             .get(pk=request.pk))
    if acting_user is not None:
        policies.refuse_unless(policies.can_handle(acting_user, fresh.body))
    return fresh


def _require_state(request: DisclosureRequest, states: set[RequestState], reason: str) -> None:
    if request.state not in states:
        raise TransitionRefused(reason)


def _event(request: DisclosureRequest, *, action: str, from_state: str, on: dt.date,
           actor: Any, note: str) -> RequestEvent:
    return RequestEvent.objects.create(request=request, action=action, from_state=from_state,
                                       to_state=request.state, on=on, actor=actor, note=note)


def _transition(request: DisclosureRequest, *, action: str, from_state: str, on: dt.date,
                actor: Any, note: str, extra: dict[str, Any] | None = None,
                audit_action: str = actions.REQUEST_TRANSITION) -> None:
    _refresh_deadline(request)
    request.save()
    _event(request, action=action, from_state=from_state, on=on, actor=actor, note=note)
    audit.record(action=audit_action, actor=actor, obj=request,
                 organisation=request.body.organisation_id,
                 details={"step": action, "from": from_state, "to": request.state,
                          "on": on.isoformat(), **(extra or {})})


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


def start_consultation(*, request: DisclosureRequest, acting_user: Any, kind: str,
                       party: str, on: dt.date | None = None) -> DisclosureRequest:
    """Consult a third party (第32条) or another agency (第34条); the clock pauses (第33条)."""
    on = on or _today()
    if kind not in (PauseKind.THIRD_PARTY, PauseKind.OTHER_AGENCY):
        raise ValidationError({"kind": _("请选择征求第三方意见或征求其他机关意见。")})
    if not party.strip():
        raise ValidationError({"party": _("请填写征求意见的对象。")})
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.ACCEPTED}, _("只有已受理的申请可以征求意见。"))
        p = clock.periods(_site_of(request.body))
        days = p.third_party if kind == PauseKind.THIRD_PARTY else p.other_agency
        pause = RequestPause.objects.create(
            request=request, kind=kind, started_on=on, party=party.strip(),
            due_on=_add(on, days))
        request.state = (RequestState.THIRD_PARTY if kind == PauseKind.THIRD_PARTY
                         else RequestState.OTHER_AGENCY)
        _transition(request, action="consult", from_state=RequestState.ACCEPTED, on=on,
                    actor=acting_user, note=_("书面征求%(party)s意见，期限至%(due)s，答复期限暂停计算") % {
                        "party": pause.party, "due": pause.due_on},
                    extra={"kind": kind, "due_on": str(pause.due_on)})
    return request


def end_consultation(*, request: DisclosureRequest, acting_user: Any, note: str = "",
                     on: dt.date | None = None) -> DisclosureRequest:
    """Record the answer (or the lapse) of a consultation; the clock runs again next day."""
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.THIRD_PARTY, RequestState.OTHER_AGENCY},
                       _("该申请没有正在进行的征求意见。"))
        pause = request.pauses.filter(ended_on__isnull=True).exclude(
            kind=PauseKind.FEE).order_by("-started_on").first()
        if pause is None or on < pause.started_on:
            raise TransitionRefused(_("征求意见结束日期不能早于开始日期。"))
        pause.ended_on = on
        pause.save(update_fields=["ended_on"])
        from_state = request.state
        request.state = RequestState.ACCEPTED
        _transition(request, action="consulted", from_state=from_state, on=on,
                    actor=acting_user, note=note or _("征求意见结束，恢复计算答复期限"))
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


def _tell_applicant(request: DisclosureRequest, subject: str, text: str) -> None:
    """E-mail the applicant after commit, if they gave an address (never logged)."""
    email = str(request.identity().get("email", ""))
    if not email:
        return

    def send() -> None:
        try:
            send_mail(subject, text, None, [email])
        except Exception:  # a mail server down must not undo the step; staff see the event
            import logging

            logging.getLogger(__name__).warning("disclosure %s: mail to applicant not sent",
                                                request.reference)

    transaction.on_commit(send)
