"""Writes of the public's messages: submission, 受理, 转办, replies with a second approver, rating.

Every service runs in one transaction, takes keyword-only arguments with `acting_user` (None for
the writer, who has no account), refuses a step from the wrong state with one sentence
(`TransitionRefused`), appends an `EnquiryEvent`, writes exactly one audit record (never with
personal data) and sends notices only after commit.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit, crypto
from govsites.screening.selectors import current_screener
from govsites.screening.types import Category

from . import attachments as attachment_checks
from . import audit as actions
from . import deadlines, hotline, notices, policies
from .choices import (
    EnquiryKind,
    EnquiryStatus,
    EventKind,
    InvalidReason,
    ReplyStatus,
    Satisfaction,
)
from .exceptions import NotAllowed, TransitionRefused
from .models import Enquiry, EnquiryAttachment, EnquiryEvent, Mailbox, Reply
from .privacy import redact

MAX_SUBJECT = 100
MAX_CONTENT = 5000
MAX_NAME = 30
MAX_NOTE = 300
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Screening categories that hold a message for a person to look at (never a silent rejection).
HOLD_CATEGORIES = frozenset({Category.POLITICAL, Category.PORNOGRAPHY, Category.GAMBLING,
                             Category.VIOLENCE, Category.ADVERTISING, Category.PRIVACY})


@dataclass(frozen=True)
class Submitted:
    """What a writer is given: the message, its query code and the one-time password."""

    enquiry: Enquiry
    query_code: str
    password: str


def _now() -> dt.datetime:
    return timezone.now()


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _event(enquiry: Enquiry, kind: str, *, actor: Any = None, organisation: Any = None,
           to_organisation: Any = None, note: str = "", at: dt.datetime | None = None) -> None:
    EnquiryEvent.objects.create(enquiry=enquiry, kind=kind, actor=actor,
                                organisation=organisation, to_organisation=to_organisation,
                                note=note[:MAX_NOTE], created_at=at or _now())


def _record(action: str, enquiry: Enquiry, actor: Any, **details: Any) -> None:
    audit.record(action=action, actor=actor, obj=enquiry,
                 organisation=enquiry.handling_organisation_id,
                 details={"query_code": enquiry.query_code, "status": enquiry.status, **details})


def _hold_reasons(text: str, *, own: tuple[str, ...]) -> list[str]:
    """Screening findings that hold a message: prohibited terms and other people's personal data."""
    for value in own:
        if value:
            text = text.replace(value, " ")
    findings = current_screener().scan_text(text, location="enquiry")
    return sorted({f.rule_id for f in findings if f.category in HOLD_CATEGORIES})


def _new_code(now: dt.datetime) -> str:
    return timezone.localtime(now).strftime("%Y%m%d") + "".join(
        secrets.choice("0123456789") for _i in range(6))


def _validate_submission(*, mailbox: Mailbox, kind: str, subject: str, content: str, name: str,
                         mobile: str, email: str) -> None:
    errors: dict[str, str] = {}
    if not mailbox.is_open:
        errors["mailbox"] = _("该信箱暂停接收留言。")
    if kind not in EnquiryKind.values:
        errors["kind"] = _("请选择留言类型。")
    if not subject or len(subject) > MAX_SUBJECT:
        errors["subject"] = _("标题不能为空，且不超过%(n)s字。") % {"n": MAX_SUBJECT}
    if not content or len(content) > MAX_CONTENT:
        errors["content"] = _("内容不能为空，且不超过%(n)s字。") % {"n": MAX_CONTENT}
    if not name or len(name) > MAX_NAME:
        errors["name"] = _("请填写姓名（不超过%(n)s字）。") % {"n": MAX_NAME}
    if not _MOBILE.match(mobile):
        errors["mobile"] = _("请填写11位手机号码。")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    if errors:
        raise ValidationError(errors)


def submit_enquiry(*, mailbox: Mailbox, kind: str, subject: str, content: str, name: str,
                   mobile: str, email: str = "", publish_allowed: bool = False,
                   client_digest: str = "", now: dt.datetime | None = None,
                   attachments: list[attachment_checks.Upload] | None = None,
                   citizen: Any = None) -> Submitted:
    """Receive a message from the public: seal personal data, screen, start the reply clock.
    A logged-in `citizen` (PA-15) finds it again on their 我的留言 page without the code.

    A message with prohibited terms or other people's personal data is held for a person
    (HELD), not rejected: its clock runs all the same. Attachments (PDF, PNG, JPG; count and
    size limits) are checked before anything is saved, screened, and sealed.
    """
    subject, content, name = subject.strip(), content.strip(), name.strip()
    mobile, email = mobile.strip(), email.strip()
    _validate_submission(mailbox=mailbox, kind=kind, subject=subject, content=content,
                         name=name, mobile=mobile, email=email)
    files = attachment_checks.check(list(attachments or []))
    now = now or _now()
    password = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
    held = _hold_reasons(subject + "\n" + content, own=(mobile, email))
    screener = current_screener()
    for upload in files:
        held += [f.rule_id for f in screener.scan_file(upload.data, upload.filename)
                 if f.category in HOLD_CATEGORIES and f.rule_id not in held]
    due = deadlines.reply_due(mailbox, _local_date(now))
    for _attempt in range(5):
        code = _new_code(now)
        try:
            with transaction.atomic():
                enquiry = Enquiry.objects.create(
                    mailbox=mailbox, handling_organisation_id=mailbox.organisation_id, kind=kind,
                    subject=redact(subject), content=redact(content),
                    sealed_content=crypto.seal(subject + "\n\n" + content),
                    sealed_name=crypto.seal(name), sealed_mobile=crypto.seal(mobile),
                    sealed_email=crypto.seal(email), publish_allowed=publish_allowed,
                    query_code=code, password_hash=policies.query_password_digest(code, password),
                    status=EnquiryStatus.HELD if held else EnquiryStatus.RECEIVED,
                    held_reasons=held, received_at=now, reply_due=due,
                    client_digest=client_digest, citizen=citizen)
                for upload in files:
                    EnquiryAttachment.objects.create(
                        enquiry=enquiry, filename=upload.filename,
                        content_type=upload.content_type, size=len(upload.data),
                        sealed_data=crypto.seal_bytes(upload.data))
                _event(enquiry, EventKind.SUBMITTED, at=now)
                if held:
                    _event(enquiry, EventKind.HELD, at=now, note="、".join(held))
                _record(actions.ENQUIRY_SUBMIT, enquiry, None, mailbox=mailbox.pk, kind=kind,
                        held=held, reply_due=due.isoformat(), attachments=len(files))
                if not held and hotline.forwarding_enabled(mailbox):
                    hotline.queue_forward(enquiry=enquiry, now=now)
        except IntegrityError:
            continue  # query code taken: draw again
        return Submitted(enquiry=enquiry, query_code=enquiry.query_code, password=password)
    raise RuntimeError("no free query code after 5 attempts")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TransitionRefused(message)


def _locked(enquiry: Enquiry) -> Enquiry:
    return Enquiry.objects.select_for_update().select_related(
        "mailbox", "mailbox__site", "handling_organisation").get(pk=enquiry.pk)


def _require_handler(user: Any, enquiry: Enquiry) -> None:
    if not policies.can_handle(user, enquiry):
        raise NotAllowed(_("只有办理单位的工作人员可以办理这条留言。"))


@transaction.atomic
def release_enquiry(*, enquiry: Enquiry, acting_user: Any, note: str = "") -> Enquiry:
    """Let a held message through after a person has looked at it (its clock already runs)."""
    enquiry = _locked(enquiry)
    _require_handler(acting_user, enquiry)
    _require(enquiry.status == EnquiryStatus.HELD, _("只有待人工审查的留言可以放行。"))
    enquiry.status = EnquiryStatus.RECEIVED
    enquiry.save(update_fields=["status"])
    _event(enquiry, EventKind.RELEASED, actor=acting_user, note=note)
    _record(actions.ENQUIRY_RELEASE, enquiry, acting_user, note=note)
    if hotline.forwarding_enabled(enquiry.mailbox):
        hotline.queue_forward(enquiry=enquiry, now=_now())
    return enquiry


@transaction.atomic
def accept_enquiry(*, enquiry: Enquiry, acting_user: Any) -> Enquiry:
    """受理: the handling organisation takes the message on; the writer is told."""
    enquiry = _locked(enquiry)
    _require_handler(acting_user, enquiry)
    _require(enquiry.status == EnquiryStatus.RECEIVED,
             _("只有待受理的留言可以受理（待人工审查的留言须先放行）。"))
    enquiry.status = EnquiryStatus.ACCEPTED
    enquiry.accepted_at = _now()
    enquiry.save(update_fields=["status", "accepted_at"])
    _event(enquiry, EventKind.ACCEPTED, actor=acting_user,
           organisation=enquiry.handling_organisation)
    _record(actions.ENQUIRY_ACCEPT, enquiry, acting_user)
    notices.notify_writer(enquiry=enquiry, key="accepted", text=_(
        "您的留言（查询码%(code)s）已受理，将在%(due)s前答复。") % {
            "code": enquiry.query_code, "due": enquiry.reply_due.isoformat()})
    return enquiry


@transaction.atomic
def reject_enquiry(*, enquiry: Enquiry, acting_user: Any, reason: str,
                   note: str = "") -> Enquiry:
    """不予受理: mark a message invalid with a reason from the list (kept for the 3-month rule)."""
    enquiry = _locked(enquiry)
    _require_handler(acting_user, enquiry)
    if reason not in InvalidReason.values:
        raise ValidationError({"reason": _("请从列表中选择不予受理的原因。")})
    _require(enquiry.status in (EnquiryStatus.RECEIVED, EnquiryStatus.HELD),
             _("已受理或已答复的留言不能再标为无效。"))
    enquiry.status = EnquiryStatus.INVALID
    enquiry.invalid_reason = reason
    enquiry.invalid_note = note.strip()[:200]
    enquiry.save(update_fields=["status", "invalid_reason", "invalid_note"])
    _event(enquiry, EventKind.REJECTED, actor=acting_user, note=str(InvalidReason(reason).label))
    _record(actions.ENQUIRY_REJECT, enquiry, acting_user, reason=reason)
    return enquiry


@transaction.atomic
def transfer_enquiry(*, enquiry: Enquiry, acting_user: Any, to_organisation: Any,
                     note: str = "") -> Enquiry:
    """转办 / 交办 to another organisation; the reply deadline stays the original one."""
    enquiry = _locked(enquiry)
    _require_handler(acting_user, enquiry)
    _require(enquiry.status in (EnquiryStatus.RECEIVED, EnquiryStatus.ACCEPTED),
             _("只有待受理或办理中的留言可以转办。"))
    if to_organisation is None or to_organisation.pk == enquiry.handling_organisation_id:
        raise ValidationError({"to_organisation": _("请选择另一个办理单位。")})
    _require(not enquiry.replies.filter(status=ReplyStatus.PENDING).exists(),
             _("有待审核的答复，不能转办。"))
    source = enquiry.handling_organisation
    enquiry.handling_organisation = to_organisation
    enquiry.save(update_fields=["handling_organisation"])
    _event(enquiry, EventKind.TRANSFERRED, actor=acting_user, organisation=source,
           to_organisation=to_organisation, note=note)
    _record(actions.ENQUIRY_TRANSFER, enquiry, acting_user, source=source.pk,
            to=to_organisation.pk, reply_due=enquiry.reply_due.isoformat())
    return enquiry


@transaction.atomic
def draft_reply(*, enquiry: Enquiry, acting_user: Any, body: str) -> Reply:
    """Draft a reply for approval; screened now, so the approver sees what was found."""
    enquiry = _locked(enquiry)
    _require_handler(acting_user, enquiry)
    _require(enquiry.status == EnquiryStatus.ACCEPTED, _("请先受理留言，再拟写答复。"))
    _require(not enquiry.replies.filter(status=ReplyStatus.PENDING).exists(),
             _("已有待审核的答复。"))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("答复内容不能为空。")})
    findings = current_screener().scan_text(body, location="reply")
    screening = [{"rule_id": f.rule_id, "severity": str(f.severity), "evidence": f.evidence}
                 for f in findings]
    reply = Reply.objects.create(enquiry=enquiry, organisation=enquiry.handling_organisation,
                                 body=body, author=acting_user, screening=screening)
    _event(enquiry, EventKind.REPLY_DRAFTED, actor=acting_user,
           organisation=enquiry.handling_organisation)
    _record(actions.REPLY_DRAFT, enquiry, acting_user, reply=reply.pk,
            findings=[s["rule_id"] for s in screening])
    return reply


def _pending(reply: Reply) -> tuple[Reply, Enquiry]:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    enquiry = _locked(reply.enquiry)
    _require(reply.status == ReplyStatus.PENDING, _("这份答复已审核过。"))
    return reply, enquiry


@transaction.atomic
def approve_reply(*, reply: Reply, acting_user: Any, note: str = "") -> Reply:
    """Approve someone else's reply and publish it: the message is answered, the writer told.

    The review chain's rule: nobody approves their own draft, and only an approving role
    (审核负责人, 分管领导, 主要领导, 站点管理员) of the handling organisation may approve. A reply
    with privacy findings cannot be published.
    """
    reply, enquiry = _pending(reply)
    if reply.author_id == getattr(acting_user, "pk", None):
        raise NotAllowed(_("答复须由拟稿人以外的人审核。"))
    if not policies.can_approve(acting_user, enquiry):
        raise NotAllowed(_("只有办理单位的审核负责人或领导可以审核答复。"))
    _require(not any(s["rule_id"].startswith("privacy.") for s in reply.screening),
             _("答复含有个人信息，请退回修改。"))
    now = _now()
    reply.status = ReplyStatus.APPROVED
    reply.approver = acting_user
    reply.review_note = note.strip()[:MAX_NOTE]
    reply.decided_at = now
    reply.save(update_fields=["status", "approver", "review_note", "decided_at"])
    enquiry.status = EnquiryStatus.REPLIED
    enquiry.replied_at = now
    enquiry.working_days_taken = deadlines.working_days_taken(
        _local_date(enquiry.received_at), _local_date(now))
    enquiry.save(update_fields=["status", "replied_at", "working_days_taken"])
    _event(enquiry, EventKind.REPLIED, actor=acting_user, organisation=reply.organisation,
           at=now)
    _record(actions.REPLY_APPROVE, enquiry, acting_user, reply=reply.pk,
            working_days=enquiry.working_days_taken, on_time=enquiry.on_time)
    notices.notify_writer(enquiry=enquiry, key=f"replied:{enquiry.reopen_count}", text=_(
        "您的留言（查询码%(code)s）已答复，请凭查询码和密码查看并评价。") % {
            "code": enquiry.query_code})
    return reply


@transaction.atomic
def return_reply(*, reply: Reply, acting_user: Any, note: str) -> Reply:
    """Send a draft back to be rewritten (with the reason)."""
    reply, enquiry = _pending(reply)
    if not policies.can_approve(acting_user, enquiry):
        raise NotAllowed(_("只有办理单位的审核负责人或领导可以审核答复。"))
    if not note.strip():
        raise ValidationError({"note": _("请写明退回原因。")})
    reply.status = ReplyStatus.RETURNED
    reply.approver = acting_user
    reply.review_note = note.strip()[:MAX_NOTE]
    reply.decided_at = _now()
    reply.save(update_fields=["status", "approver", "review_note", "decided_at"])
    _event(enquiry, EventKind.REPLY_RETURNED, actor=acting_user, note=note)
    _record(actions.REPLY_RETURN, enquiry, acting_user, reply=reply.pk)
    return reply


@transaction.atomic
def rate_enquiry(*, enquiry: Enquiry, satisfaction: str, reopen: bool = False,
                 note: str = "") -> Enquiry:
    """The writer rates the answer; an unsatisfied writer may reopen it once (new clock)."""
    enquiry = _locked(enquiry)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    _require(enquiry.status == EnquiryStatus.REPLIED, _("留言答复后才能评价。"))
    _require(not enquiry.satisfaction, _("这条留言已经评价过。"))
    if reopen:
        _require(satisfaction == Satisfaction.UNSATISFIED and enquiry.reopen_count == 0,
                 _("只有对答复不满意时可以申请重新办理，且只能申请一次。"))
    enquiry.satisfaction = satisfaction
    fields = ["satisfaction"]
    _event(enquiry, EventKind.RATED, note=str(Satisfaction(satisfaction).label))
    if reopen:
        today = _local_date(_now())
        enquiry.status = EnquiryStatus.ACCEPTED
        enquiry.satisfaction = ""  # the rating stays in the history; the new answer is rated anew
        enquiry.reopen_count += 1
        enquiry.reply_due = deadlines.reply_due(enquiry.mailbox, today)
        enquiry.replied_at = None
        enquiry.working_days_taken = None
        fields += ["status", "reopen_count", "reply_due", "replied_at", "working_days_taken"]
        _event(enquiry, EventKind.REOPENED, note=note)
    enquiry.save(update_fields=fields)
    _record(actions.ENQUIRY_REOPEN if reopen else actions.ENQUIRY_RATE, enquiry, None,
            satisfaction=satisfaction)
    return enquiry


@transaction.atomic
def save_mailbox(*, acting_user: Any, mailbox: Mailbox) -> Mailbox:
    """Create or change a mailbox (validated), with one audit record (None: the demo loader)."""
    if acting_user is not None and not policies.can_manage_mailbox(acting_user, mailbox):
        raise NotAllowed(_("只能设置本单位的信箱。"))
    mailbox.full_clean()
    created = mailbox.pk is None
    mailbox.save()
    audit.record(action=actions.MAILBOX_SAVE, actor=acting_user, obj=mailbox,
                 organisation=mailbox.organisation_id,
                 details={"created": created, "name": mailbox.name,
                          "reply_working_days": mailbox.reply_working_days,
                          "is_open": mailbox.is_open})
    return mailbox
