"""Writes of the 12345 hotline forwarding (IA-09, 梅州 第9条(三)、第22条).

A message to a mailbox that forwards (its own switch, else the rule `interaction.route_via_12345`,
true under 梅州) gets a `HotlineForward` row in the transaction that receives it (a held message
when a person releases it), so the push can never be lost. The worker sends it after commit; a
failure is recorded, retried with growing waits by the periodic job `interaction.hotline_retry`,
and alerted to the handling organisation from the `ALERT_AFTER_ATTEMPTS`-th failure on. The
hotline's ticket number and its result (办理结果) come back by callback or import and are kept
on the forward and in the message's history; the result becomes the message's published reply
only through the usual draft and second-person approval (`adopt_hotline_result`). Nothing here
touches `reply_due`: the original clock keeps running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from govsites import rules
from govsites.core import audit
from govsites.core.notifications import Notice, notify

from . import audit as actions
from . import notices
from .choices import EventKind, HotlineForwarding, HotlineStatus
from .error_reports import ImportRejected, read_import_rows
from .exceptions import TransitionRefused
from .hotline_gateways import HotlineMessage, hotline_gateway
from .models import Enquiry, EnquiryEvent, HotlineForward, Mailbox, Reply

#: From this failed attempt on, the handling organisation is alerted (once).
ALERT_AFTER_ATTEMPTS = 3
#: The first push is the after-commit task's; the retry job takes it only after this wait.
FIRST_RETRY_AFTER = dt.timedelta(minutes=2)
MAX_RETRY_WAIT = dt.timedelta(hours=6)
HOTLINE_FAILED = "interaction.hotline_failed"
HOTLINE_RESULT = "interaction.hotline_result"
IMPORT_FIELDS = ("query_code", "ticket_number", "result", "replied_at")
MAX_RESULT = 5000


def forwarding_enabled(mailbox: Mailbox) -> bool:
    """Whether a mailbox's messages go to the 12345 hotline: its switch, else the rule."""
    if mailbox.hotline_forwarding == HotlineForwarding.ON:
        return True
    if mailbox.hotline_forwarding == HotlineForwarding.OFF:
        return False
    return bool(rules.value("interaction.route_via_12345", site=mailbox.site))


def queue_forward(*, enquiry: Enquiry, now: dt.datetime) -> HotlineForward:
    """Record the push in the caller's transaction and have the worker send it after commit."""
    from .tasks import forward_to_hotline_task

    forward = HotlineForward.objects.create(enquiry=enquiry, created_at=now,
                                            next_attempt_at=now + FIRST_RETRY_AFTER)
    forward_id = forward.pk
    transaction.on_commit(lambda: forward_to_hotline_task.enqueue(forward_id=forward_id))
    return forward


def _message(enquiry: Enquiry) -> HotlineMessage:
    mailbox = enquiry.mailbox
    return HotlineMessage(
        query_code=enquiry.query_code, site=mailbox.site.name, mailbox=mailbox.name,
        organisation=enquiry.handling_organisation.name, kind=enquiry.get_kind_display(),
        subject=enquiry.subject, content=enquiry.original_content,
        writer_name=enquiry.writer_name, writer_mobile=enquiry.writer_mobile,
        received_at=timezone.localtime(enquiry.received_at).isoformat(),
        reply_due=enquiry.reply_due.isoformat())


def _wait(attempts: int) -> dt.timedelta:
    return min(MAX_RETRY_WAIT, dt.timedelta(minutes=5) * (2 ** max(0, attempts - 1)))


def _record(action: str, forward: HotlineForward, **details: Any) -> None:
    enquiry = forward.enquiry
    audit.record(action=action, actor=None, obj=enquiry,
                 organisation=enquiry.handling_organisation_id,
                 details={"query_code": enquiry.query_code, "attempts": forward.attempts,
                          "ticket_number": forward.ticket_number, **details})


def send_forward(*, forward_id: int, now: dt.datetime | None = None) -> HotlineForward:
    """Push one pending message to the hotline now; record the receipt or the failure.

    The gateway is called outside any transaction (a slow hotline must not hold the database);
    the outcome is then written under a row lock, and only if the forward is still pending.
    """
    forward = HotlineForward.objects.select_related(
        "enquiry", "enquiry__mailbox", "enquiry__mailbox__site",
        "enquiry__handling_organisation").get(pk=forward_id)
    if forward.status != HotlineStatus.PENDING:
        return forward
    error = ""
    ticket = ""
    try:
        ticket = hotline_gateway().forward(message=_message(forward.enquiry)).ticket_number
    except Exception as exc:  # the gateway is the operator's code: any failure is retried
        error = str(exc)[:300] or exc.__class__.__name__
    now = now or timezone.now()
    with transaction.atomic():
        forward = HotlineForward.objects.select_for_update().select_related(
            "enquiry", "enquiry__mailbox", "enquiry__handling_organisation").get(pk=forward_id)
        if forward.status != HotlineStatus.PENDING:
            return forward
        forward.attempts += 1
        if error:
            _failed(forward, error, now)
        else:
            forward.status = HotlineStatus.FORWARDED
            forward.forwarded_at = now
            forward.ticket_number = forward.ticket_number or ticket
            forward.next_attempt_at = None
            forward.last_error = ""
            forward.save()
            EnquiryEvent.objects.create(
                enquiry=forward.enquiry, kind=EventKind.HOTLINE_FORWARDED, created_at=now,
                note=_("工单编号%(ticket)s") % {"ticket": forward.ticket_number}
                if forward.ticket_number else "")
            _record(actions.ENQUIRY_HOTLINE_FORWARD, forward)
    return forward


def _failed(forward: HotlineForward, error: str, now: dt.datetime) -> None:
    forward.last_error = error
    forward.next_attempt_at = now + _wait(forward.attempts)
    alert = forward.attempts >= ALERT_AFTER_ATTEMPTS and not forward.alerted
    forward.alerted = forward.alerted or alert
    forward.save()
    _record(actions.ENQUIRY_HOTLINE_FAILED, forward, error=error, alerted=alert)
    if alert:
        enquiry = forward.enquiry
        notify(notice=Notice(
            kind=HOTLINE_FAILED, item_key=f"hotline:{forward.pk}",
            subject=_("留言推送12345热线失败"),
            body=_("%(mailbox)s留言 %(code)s 已%(n)s次推送12345热线失败（%(error)s），"
                   "系统将继续重试，请核实热线接口。") % {
                "mailbox": enquiry.mailbox.name, "code": enquiry.query_code,
                "n": forward.attempts, "error": error}),
            recipients=notices.handlers_of(enquiry.handling_organisation))


def retry_due_forwards(*, now: dt.datetime | None = None) -> int:
    """Send every pending push whose time has come (the periodic job); return how many tried."""
    now = now or timezone.now()
    due = list(HotlineForward.objects.filter(status=HotlineStatus.PENDING,
                                             next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:500])
    for forward_id in due:
        send_forward(forward_id=forward_id, now=now)
    return len(due)


@dataclass(frozen=True)
class HotlineResult:
    """What the hotline reports back about one message."""

    query_code: str
    ticket_number: str
    result: str
    replied_at: dt.datetime


def _validate_result(row: dict[str, Any], where: str) -> tuple[HotlineResult | None, list[str]]:
    problems: list[str] = []
    code = str(row.get("query_code") or "").strip()
    ticket = str(row.get("ticket_number") or "").strip()
    result = str(row.get("result") or "").strip()
    replied = parse_datetime(str(row.get("replied_at") or "").strip())
    if not code:
        problems.append(_("%(where)s缺少留言查询码 query_code") % {"where": where})
    if not ticket or len(ticket) > 40:
        problems.append(_("%(where)s缺少工单编号 ticket_number（不超过40个字符）") % {"where": where})
    if not result or len(result) > MAX_RESULT:
        problems.append(_("%(where)s办理结果 result 不能为空，且不超过%(n)s字") % {
            "where": where, "n": MAX_RESULT})
    if replied is None:
        problems.append(_("%(where)s答复时间 replied_at 不是有效的日期时间") % {"where": where})
    if problems or replied is None:
        return None, problems
    if timezone.is_naive(replied):
        replied = timezone.make_aware(replied)
    return HotlineResult(code, ticket, result, replied), []


def _apply(result: HotlineResult, *, acting_user: Any, source: str) -> bool:
    """Record one result; False when it was recorded before (same ticket, same text)."""
    forward = (HotlineForward.objects.select_for_update()
               .select_related("enquiry", "enquiry__mailbox", "enquiry__handling_organisation")
               .filter(enquiry__query_code=result.query_code).first())
    if forward is None:
        raise ValidationError(_("留言%(code)s没有推送过12345热线。") % {"code": result.query_code})
    if forward.ticket_number and forward.ticket_number != result.ticket_number:
        raise ValidationError(_("留言%(code)s的工单编号是%(ticket)s，与反馈的不一致。") % {
            "code": result.query_code, "ticket": forward.ticket_number})
    if forward.hotline_reply == result.result and forward.status == HotlineStatus.REPLIED:
        return False
    forward.ticket_number = result.ticket_number
    forward.status = HotlineStatus.REPLIED
    forward.forwarded_at = forward.forwarded_at or result.replied_at
    forward.next_attempt_at = None
    forward.hotline_reply = result.result
    forward.hotline_replied_at = result.replied_at
    forward.save()
    enquiry = forward.enquiry
    EnquiryEvent.objects.create(enquiry=enquiry, kind=EventKind.HOTLINE_REPLIED,
                                actor=acting_user, created_at=timezone.now(),
                                note=_("工单编号%(ticket)s") % {"ticket": result.ticket_number})
    audit.record(action=actions.ENQUIRY_HOTLINE_RESULT, actor=acting_user, obj=enquiry,
                 organisation=enquiry.handling_organisation_id,
                 details={"query_code": enquiry.query_code, "ticket_number": result.ticket_number,
                          "source": source, "reply_due": enquiry.reply_due.isoformat()})
    notify(notice=Notice(
        kind=HOTLINE_RESULT, item_key=f"hotline-result:{forward.pk}",
        subject=_("12345热线已反馈留言办理结果"),
        body=_("%(mailbox)s留言 %(code)s 的12345办理结果已到，请拟写答复并送审公开（答复期限%(due)s）。")
        % {"mailbox": enquiry.mailbox.name, "code": enquiry.query_code,
           "due": enquiry.reply_due.isoformat()}),
        recipients=notices.handlers_of(enquiry.handling_organisation))
    return True


@transaction.atomic
def receive_hotline_result(*, acting_user: Any, data: dict[str, Any]) -> bool:
    """The hotline's callback: one result (query_code, ticket_number, result, replied_at)."""
    result, problems = _validate_result(data, "")
    if result is None:
        raise ValidationError(problems)
    return _apply(result, acting_user=acting_user, source="callback")


@dataclass(frozen=True)
class ResultImport:
    recorded: int
    unchanged: int


def import_hotline_results(*, data: bytes, filename: str, acting_user: Any) -> ResultImport:
    """Import the hotline's export of results (CSV or JSON); a bad file is rejected whole."""
    parsed: list[HotlineResult] = []
    problems: list[str] = []
    rows = read_import_rows(data, filename, IMPORT_FIELDS)
    for line, row in rows:
        result, found = _validate_result(row, _("第%(line)s行：") % {"line": line})
        problems += found
        if result is not None:
            parsed.append(result)
    if problems:
        raise ImportRejected(problems)
    return _save_results(parsed, acting_user=acting_user, filename=filename, lines=rows)


@transaction.atomic
def _save_results(results: Iterable[HotlineResult], *, acting_user: Any, filename: str,
                  lines: list[tuple[int, dict[str, Any]]]) -> ResultImport:
    recorded = unchanged = 0
    problems: list[str] = []
    for (line, _row), result in zip(lines, results, strict=True):
        try:
            with transaction.atomic():
                changed = _apply(result, acting_user=acting_user, source=filename[:100])
        except ValidationError as exc:
            problems += [f"第{line}行：{m}" for m in exc.messages]
            continue
        recorded += int(changed)
        unchanged += int(not changed)
    if problems:
        raise ImportRejected(problems)  # leaving the atomic block undoes the rows recorded
    return ResultImport(recorded=recorded, unchanged=unchanged)


@transaction.atomic
def adopt_hotline_result(*, enquiry: Enquiry, acting_user: Any) -> Reply:
    """Draft the message's reply from the hotline's result (a second person still approves)."""
    from .services import draft_reply

    forward = HotlineForward.objects.filter(enquiry=enquiry).first()
    if forward is None or forward.status != HotlineStatus.REPLIED:
        raise TransitionRefused(_("12345热线尚未反馈办理结果。"))
    return draft_reply(enquiry=enquiry, acting_user=acting_user, body=forward.hotline_reply)
