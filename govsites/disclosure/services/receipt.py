"""Bodies and receipt: the 公开主体 record, online and registered requests, confirmation
(条例第27至31条)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit
from govsites.core.calendar import WorkingCalendar

from .. import audit as actions
from .. import clock, fees, identity, policies
from ..choices import (
    CONFIRMED_CHANNELS,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    OrganisationSubtype,
    RequestState,
)
from ..models import DisclosureBody, DisclosureRequest
from .common import (
    RequestContent,
    TransitionRefused,
    _add,
    _event,
    _locked,
    _refresh_deadline,
    _require_state,
    _site_of,
    _today,
    _transition,
)

BODY_FIELDS = ("office_name", "address", "postcode", "office_hours", "phone", "fax", "email",
               "guide_text", "seal_text", "accepts_online")


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
