"""Consultations of a third party (第32条) or of the agencies that produced the information
with the body (第34条); the clock pauses while they run (第33条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock
from ..choices import ANSWER_OUTCOMES, ConsultationOutcome, PauseKind, RequestState
from ..models import DisclosureRequest, RequestPause
from .common import (
    TransitionRefused,
    _add,
    _date_text,
    _locked,
    _require_state,
    _site_of,
    _today,
    _transition,
)


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
                     on: dt.date | None = None,
                     outcome: str = ConsultationOutcome.ANSWERED) -> DisclosureRequest:
    """Record the answer of a consultation (同意, 不同意 or just answered); the clock runs
    again the next day. A consultation that nobody answers in time ends by
    `lapse_consultation` instead."""
    on = on or _today()
    if outcome not in ANSWER_OUTCOMES:
        raise ValidationError({"outcome": _("请选择征求意见的答复结果。")})
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.THIRD_PARTY, RequestState.OTHER_AGENCY},
                       _("该申请没有正在进行的征求意见。"))
        pause = _open_consultation(request)
        if pause is None or on < pause.started_on:
            raise TransitionRefused(_("征求意见结束日期不能早于开始日期。"))
        pause.ended_on = on
        pause.outcome = outcome
        pause.save(update_fields=["ended_on", "outcome"])
        from_state = request.state
        request.state = RequestState.ACCEPTED
        label = ConsultationOutcome(outcome).label
        _transition(request, action="consulted", from_state=from_state, on=on,
                    actor=acting_user,
                    note=note or _("征求意见结束（%(outcome)s），恢复计算答复期限") % {
                        "outcome": label},
                    extra={"outcome": outcome})
    return request


def lapse_consultation(*, request: DisclosureRequest, acting_user: Any,
                       on: dt.date | None = None) -> DisclosureRequest:
    """End a consultation nobody answered within its period (the daily round does this).

    A co-producing agency's silence is consent to disclose (条例第34条, 视为同意); a third
    party's silence leaves the decision to the body (第32条). Either way the pause ends on the
    last day of the consultation period, so the days after it count again even when the
    round runs late.
    """
    on = on or _today()
    with transaction.atomic():
        request = _locked(request, acting_user)
        _require_state(request, {RequestState.THIRD_PARTY, RequestState.OTHER_AGENCY},
                       _("该申请没有正在进行的征求意见。"))
        pause = _open_consultation(request)
        if pause is None or pause.due_on is None or on <= pause.due_on:
            raise TransitionRefused(_("征求意见期限（%(due)s）尚未届满。") % {
                "due": _date_text(pause.due_on if pause else None)})
        deemed = pause.kind == PauseKind.OTHER_AGENCY
        outcome = (ConsultationOutcome.DEEMED_CONSENT if deemed
                   else ConsultationOutcome.NO_REPLY)
        pause.ended_on = pause.due_on
        pause.outcome = outcome
        pause.save(update_fields=["ended_on", "outcome"])
        from_state = request.state
        request.state = RequestState.ACCEPTED
        note = (_("%(party)s逾期（%(due)s）未提出意见，视为同意公开（条例第三十四条），恢复计算答复期限")
                if deemed else
                _("%(party)s逾期（%(due)s）未提出意见，由本机关依法决定是否公开（条例第三十二条），恢复计算答复期限"))
        _transition(request, action="consult_lapsed", from_state=from_state, on=on,
                    actor=acting_user,
                    note=note % {"party": pause.party, "due": pause.due_on.isoformat()},
                    extra={"outcome": outcome, "due_on": pause.due_on.isoformat()})
    return request


def _open_consultation(request: DisclosureRequest) -> RequestPause | None:
    return (request.pauses.filter(ended_on__isnull=True).exclude(kind=PauseKind.FEE)
            .order_by("-started_on").first())
