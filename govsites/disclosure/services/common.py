"""What every step of a request shares: the refusal, the working-day helpers, locking,
the event, audit record and deadline of a transition, and telling the applicant."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit
from govsites.core.calendar import CalendarDataMissing, WorkingCalendar
from govsites.core.notifications import citizen_sms_gateway

from .. import audit as actions
from .. import clock, policies
from ..choices import (
    DeliveryForm,
    DeliveryMethod,
    RequestState,
)
from ..models import DisclosureBody, DisclosureRequest, RequestEvent

logger = logging.getLogger(__name__)
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


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



def _tell_applicant(request: DisclosureRequest, subject: str, text: str) -> None:
    """Tell the applicant after commit: e-mail if they gave an address, SMS if their phone is
    a mobile number (through the citizens' SMS gateway, interaction.notices). The text names
    the case's number and the step, never the applicant's data; nothing is logged with it."""
    identity = request.identity()
    email = str(identity.get("email", ""))
    mobile = re.sub(r"[\s-]", "", str(identity.get("phone", "")))
    mobile = mobile.removeprefix("+86")
    if not _MOBILE.match(mobile):
        mobile = ""
    if not email and not mobile:
        return
    reference = request.reference

    def send() -> None:
        if mobile:
            try:
                citizen_sms_gateway().send(mobile=mobile, text=f"【{subject}】{text}")
            except Exception:  # the gateway is the operator's code; e-mail still goes
                logger.warning("disclosure %s: SMS to applicant not sent", reference)
        if email:
            try:
                send_mail(subject, text, None, [email])
            except Exception:  # a mail server down must not undo the step; staff see the event
                logger.warning("disclosure %s: mail to applicant not sent", reference)

    transaction.on_commit(send)
