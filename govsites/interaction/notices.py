"""Telling writers (by SMS or e-mail) and staff (core notifications) about messages.

Writers are not accounts, so their notices are recorded here, once per message and event
(`CitizenNotice`), and sent after the transaction commits. The text names the mailbox, the
query code and what happened; it never repeats the message or the writer's details. SMS goes
through core's `citizen_sms_gateway()` (`GOVSITES_CITIZEN_SMS_GATEWAY`, else the platform's
gateway; the default writes to the log with the number masked), e-mail through Django's mail
backend.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from govsites.core.notifications import citizen_sms_gateway

from .models import CitizenNotice, Enquiry

logger = logging.getLogger(__name__)


def notify_writer(*, enquiry: Enquiry, key: str, text: str) -> CitizenNotice | None:
    """Tell the writer once per `key` (e.g. "accepted", "replied:0"); send after commit."""
    mobile, email = enquiry.writer_mobile, enquiry.writer_email
    channels = ",".join(name for name, address in (("sms", mobile), ("email", email)) if address)
    try:
        with transaction.atomic():
            notice = CitizenNotice.objects.create(enquiry=enquiry, key=key, channels=channels)
    except IntegrityError:
        return None
    subject = f"{enquiry.mailbox.name}：留言办理提醒"

    def send() -> None:
        if mobile:
            try:
                citizen_sms_gateway().send(mobile=mobile, text=f"【{subject}】{text}")
            except Exception:  # the gateway is the operator's code; e-mail still goes
                logger.exception("citizen notice %s: SMS not sent", notice.pk)
        if email:
            try:
                send_mail(subject, text, None, [email])
            except Exception:
                logger.exception("citizen notice %s: e-mail not sent", notice.pk)

    transaction.on_commit(send)
    return notice


def handlers_of(organisation: Any) -> list[Any]:
    """The active accounts of an organisation (who hear about its messages' deadlines)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(is_active=True, organisation=organisation))
