"""Telling writers (by SMS or e-mail) and staff (core notifications) about messages.

Writers are not accounts, so their notices are recorded here, once per message and event
(`CitizenNotice`), and sent after the transaction commits. The text names the mailbox, the
query code and what happened; it never repeats the message or the writer's details. SMS goes
through `GOVSITES_INTERACTION_SMS_GATEWAY` (any class with `send(*, mobile, text)`; the
default writes to the log with the number masked), e-mail through Django's mail backend.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from govsites.core.notifications import SmsGateway

from .models import CitizenNotice, Enquiry
from .privacy import mask_mobile

logger = logging.getLogger(__name__)

DEFAULT_GATEWAY = "govsites.interaction.notices.MaskedLogSmsGateway"


class MaskedLogSmsGateway:
    """The development gateway: logs the text with the number masked (no personal data in logs)."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)


def citizen_sms_gateway() -> SmsGateway:
    """The gateway named by GOVSITES_INTERACTION_SMS_GATEWAY."""
    path = getattr(settings, "GOVSITES_INTERACTION_SMS_GATEWAY", "") or DEFAULT_GATEWAY
    gateway = import_string(path)()
    if not isinstance(gateway, SmsGateway):
        raise ImproperlyConfigured(f"GOVSITES_INTERACTION_SMS_GATEWAY {path!r} has no send()")
    return gateway


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
