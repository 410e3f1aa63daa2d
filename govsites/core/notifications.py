"""Notifications (提醒): e-mail through Django's mail framework, SMS through a pluggable gateway.

Apps decide *who* must be told *what* (overdue review steps, overdue 整改单, uptime alerts);
this module decides *how*: each person's preferences and contacts (`NotificationPreference`),
one notice per person per item per day (`NotificationDelivery`), and delivery only after the
caller's transaction commits, so a rolled-back change never sends anything.

SMS goes through the class named by the `GOVSITES_SMS_GATEWAY` setting, which must satisfy
`SmsGateway`; the default `ConsoleSmsGateway` only logs, with the number masked. A real gateway
is a small class with `send(*, mobile, text)` in the operator's own package. Texts to the
public (a writer told that the message was answered, an applicant that the reply is ready) go
through `citizen_sms_gateway()`: `GOVSITES_CITIZEN_SMS_GATEWAY` when an installation sends them
through another channel or signature, else the same gateway.

Messages are about the platform's own work (an item title, a step, a site, a deadline); they
never carry a citizen's personal data. As a last guard every subject and body is masked for
resident ID numbers, mobile numbers and e-mail addresses before it is stored or sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import audit
from .models import NotificationDelivery, NotificationPreference

logger = logging.getLogger(__name__)

DEFAULT_SMS_GATEWAY = "govsites.core.notifications.ConsoleSmsGateway"

#: Kinds of notice the platform sends (the de-duplication key starts with one of them).
REVIEW_OVERDUE = "review.overdue"
TICKET_OVERDUE = "ticket.overdue"
UPTIME_ALERT = "uptime.alert"

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                        r"(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@runtime_checkable
class SmsGateway(Protocol):
    """What an SMS gateway offers: send one text to one mobile number (raises on failure)."""

    def send(self, *, mobile: str, text: str) -> None: ...


def mask_mobile(mobile: str) -> str:
    """138****0000: a mobile number as logs and staff lists may show it."""
    mobile = mobile.strip()
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) == 11 else "****"


class ConsoleSmsGateway:
    """The default gateway: writes the text to the log instead of sending it, with the number
    and any personal data in the text masked (logs must not hold them)."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), mask_personal_data(text))


def _gateway(setting: str, path: str) -> SmsGateway:
    gateway = import_string(path)()
    if not isinstance(gateway, SmsGateway):
        raise ImproperlyConfigured(f"{setting} {path!r} has no send(*, mobile, text)")
    return gateway


def sms_gateway() -> SmsGateway:
    """Return an instance of the gateway named by `GOVSITES_SMS_GATEWAY`."""
    path = getattr(settings, "GOVSITES_SMS_GATEWAY", "") or DEFAULT_SMS_GATEWAY
    return _gateway("GOVSITES_SMS_GATEWAY", path)


def citizen_sms_gateway() -> SmsGateway:
    """The gateway for texts to the public: `GOVSITES_CITIZEN_SMS_GATEWAY`, else the platform's."""
    path = getattr(settings, "GOVSITES_CITIZEN_SMS_GATEWAY", "")
    if not path:
        return sms_gateway()
    return _gateway("GOVSITES_CITIZEN_SMS_GATEWAY", path)


def mask_personal_data(text: str) -> str:
    """Replace resident ID numbers, mobile numbers and e-mail addresses with placeholders."""
    text = _ID_NUMBER.sub("[身份证号已隐去]", text)
    text = _MOBILE.sub("[手机号已隐去]", text)
    return _EMAIL.sub("[邮箱已隐去]", text)


@dataclass(frozen=True)
class Notice:
    """What to tell people about one item: `kind` and `item_key` make the de-duplication key."""

    kind: str
    item_key: str
    subject: str
    body: str
    url: str = ""

    def text(self) -> str:
        """Return the body with its link, masked (what e-mail and SMS both carry)."""
        body = self.body if not self.url else f"{self.body}\n{self.url}"
        return mask_personal_data(body)


@dataclass(frozen=True)
class Contact:
    """Where one person is told, after their preferences (empty: that channel is off)."""

    email: str
    mobile: str


def contact_for(user: Any) -> Contact:
    """Return where a person wants notices: their preference, else their account's contacts."""
    preference = NotificationPreference.objects.filter(user=user).first()
    email = str(getattr(user, "email", "") or "")
    mobile = str(getattr(user, "mobile", "") or "")
    if preference is None:
        return Contact(email=email, mobile=mobile)
    return Contact(email=(preference.email or email) if preference.email_enabled else "",
                   mobile=(preference.mobile or mobile) if preference.sms_enabled else "")


def notify(*, notice: Notice, recipients: Iterable[Any],
           day: dt.date | None = None) -> list[NotificationDelivery]:
    """Tell each active recipient about an item once a day; send after the transaction commits.

    Returns the deliveries recorded now (a person already told today about this item, an
    inactive account, or one with neither channel on is left out).
    """
    day = day or timezone.localdate()
    subject = mask_personal_data(notice.subject)[:200]
    text = notice.text()
    deliveries: list[NotificationDelivery] = []
    outgoing: list[tuple[Contact, NotificationDelivery]] = []
    seen: set[int] = set()
    with transaction.atomic():
        for user in recipients:
            if user is None or user.pk in seen or not getattr(user, "is_active", False):
                continue
            seen.add(user.pk)
            contact = contact_for(user)
            channels = ",".join(name for name, address in (("email", contact.email),
                                                           ("sms", contact.mobile)) if address)
            if not channels:
                continue
            try:
                with transaction.atomic():
                    delivery = NotificationDelivery.objects.create(
                        recipient=user, kind=notice.kind, item_key=notice.item_key[:100],
                        day=day, subject=subject, channels=channels)
            except IntegrityError:
                continue  # already told today
            deliveries.append(delivery)
            outgoing.append((contact, delivery))
        if outgoing:
            transaction.on_commit(lambda: _send(outgoing, subject, text))
    return deliveries


def _send(outgoing: list[tuple[Contact, NotificationDelivery]], subject: str, text: str) -> None:
    gateway: SmsGateway | None = None
    for contact, delivery in outgoing:
        if contact.email:
            try:
                send_mail(subject, text, None, [contact.email])
            except Exception:  # one bad address or a mail server down must not stop the rest
                logger.exception("notification %s: e-mail not sent", delivery.pk)
        if contact.mobile:
            try:
                gateway = gateway or sms_gateway()
                gateway.send(mobile=contact.mobile, text=f"【{subject}】{text}")
            except Exception:  # the gateway is the operator's code
                logger.exception("notification %s: SMS not sent", delivery.pk)


_MOBILE_FORMAT = re.compile(r"^1[3-9]\d{9}$")


def set_preferences(*, user: Any, acting_user: Any, email_enabled: bool, sms_enabled: bool,
                    email: str = "", mobile: str = "") -> NotificationPreference:
    """Set how a person is notified. Only the person themselves or a superuser may do it."""
    if acting_user is None or (acting_user.pk != user.pk
                               and not getattr(acting_user, "is_superuser", False)):
        raise ValidationError(_("只能修改本人的通知设置。"))
    email, mobile = email.strip(), mobile.strip()
    if mobile and not _MOBILE_FORMAT.match(mobile):
        raise ValidationError(_("提醒手机号码应为11位手机号码。"))
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.get_or_create(user=user)
        before = {"email_enabled": preference.email_enabled,
                  "sms_enabled": preference.sms_enabled,
                  "email_set": bool(preference.email), "mobile_set": bool(preference.mobile)}
        preference.email_enabled = email_enabled
        preference.sms_enabled = sms_enabled
        preference.email = email
        preference.mobile = mobile
        preference.full_clean()
        preference.save()
        audit.record(action="core.notification_preference.update", actor=acting_user,
                     obj=preference, organisation=getattr(user, "organisation_id", None),
                     details={"user": user.pk, "before": before,
                              "after": {"email_enabled": email_enabled,
                                        "sms_enabled": sms_enabled,
                                        "email_set": bool(email), "mobile_set": bool(mobile)}})
    return preference
