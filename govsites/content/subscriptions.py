"""内容推送 (PA-18): e-mail subscriptions to a column or a whole site, and the digests.

A reader asks (`request_subscription`); the address is sealed and a confirmation link is sent
(double opt-in). Only `confirm_subscription` makes it live; from then on the worker's periodic
job (`send_digests`) mails each live subscription the items first published since its last
digest, with an unsubscribe link in every message (`unsubscribe`, which deletes the row).
Links carry a signed subscription id (django.core.signing), so no token is stored; the
confirmation link expires after the rule parameter `subscription.confirm_hours`.
Each write is atomic, writes one audit record, and sends its mail only after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from govsites import rules
from govsites.core import audit, crypto
from govsites.sites.selectors import profile_for_page

from .models import ColumnPage, ContentItem, SiteHomePage, Subscription

DIGEST_PURPOSE = "content.subscription.email"
CONFIRM_SALT = "govsites.content.subscription.confirm"
UNSUBSCRIBE_SALT = "govsites.content.subscription.unsubscribe"


def requests_per_minute(site: Any = None) -> int:
    """Subscription requests one client may send a minute (`subscription.requests_per_minute`)."""
    return int(rules.value("subscription.requests_per_minute", site=site))


def confirm_hours(site: Any = None) -> int:
    """How long a confirmation link stays valid (`subscription.confirm_hours`)."""
    return int(rules.value("subscription.confirm_hours", site=site))


def digest_max_items(site: Any = None) -> int:
    """The most items one digest lists (`subscription.digest_max_items`)."""
    return int(rules.value("subscription.digest_max_items", site=site))


def normalise_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "请填写有效的电子邮箱地址。"}) from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def subscribable(page: Page) -> bool:
    """A live column or a site's home page may be subscribed to."""
    specific = page.specific
    return bool(page.live) and isinstance(specific, ColumnPage | SiteHomePage)


def public_base(page: Page) -> str:
    """scheme://domain of the site holding `page`, as the public reaches it."""
    profile = profile_for_page(page)
    scheme = getattr(settings, "GOVSITES_PUBLIC_SCHEME", "https")
    if profile is not None:
        return f"{scheme}://{profile.domain}"
    site = page.get_site()
    return f"{scheme}://{site.hostname}" if site is not None else f"{scheme}://localhost"


def _page_label(page: Page) -> str:
    profile = profile_for_page(page)
    site_name = profile.name if profile is not None else ""
    specific = page.specific
    if isinstance(specific, SiteHomePage):
        return site_name or specific.title
    return f"{site_name}·{specific.title}" if site_name else specific.title


def confirm_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    return public_base(subscription.page) + reverse("content:subscription_confirm",
                                                    args=[token])


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return public_base(subscription.page) + reverse("content:subscription_unsubscribe",
                                                    args=[token])


def _send(subscription: Subscription, subject: str, body: str, *, unsubscribe: bool) -> None:
    headers = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(subscription)}>"
    EmailMessage(subject=subject, body=body, to=[crypto.open_sealed(subscription.sealed_email)],
                 headers=headers).send()


@dataclass(frozen=True)
class Requested:
    """What became of a request; the page says the same in every case (no address probing)."""

    subscription: Subscription
    mailed: bool


def request_subscription(*, page: Page, email: str, acting_user: Any = None,
                         now: dt.datetime | None = None) -> Requested:
    """Record a pending subscription and mail its confirmation link after commit.

    An address already confirmed for the page gets no mail; one still pending gets a new
    link, at most once per confirmation period's first hour, so the form cannot be used to
    flood someone's mailbox.
    """
    if not subscribable(page):
        raise ValidationError({"page": "只能订阅已发布的栏目或网站。"})
    address = normalise_email(email)
    now = now or timezone.now()
    digest = crypto.keyed_digest(DIGEST_PURPOSE, address.lower())
    with transaction.atomic():
        existing = (Subscription.objects.select_for_update()
                    .filter(page=page, email_digest=digest).first())
        if existing is not None and existing.confirmed_at is not None:
            return Requested(existing, mailed=False)
        if existing is not None and now - existing.requested_at < dt.timedelta(hours=1):
            return Requested(existing, mailed=False)
        try:
            with transaction.atomic():
                if existing is None:
                    existing = Subscription.objects.create(
                        page=page, sealed_email=crypto.seal(address), email_digest=digest,
                        requested_at=now)
                else:
                    existing.requested_at = now
                    existing.sealed_email = crypto.seal(address)
                    existing.save(update_fields=["requested_at", "sealed_email"])
        except IntegrityError:  # the same request twice at once: the other one mails
            return Requested(Subscription.objects.get(page=page, email_digest=digest), False)
        audit.record(action="content.subscription.request", actor=acting_user, obj=existing,
                     details={"page": page.pk})
        subscription = existing
        label = _page_label(page)
        hours = confirm_hours(profile_for_page(page))
        transaction.on_commit(lambda: _send(
            subscription, f"请确认订阅：{label}",
            f"您好：\n\n有人（可能是您）用本邮箱申请订阅“{label}”的更新。\n"
            f"如确是您本人，请在 {hours} 小时内打开下面的链接确认：\n\n"
            f"{confirm_url(subscription)}\n\n"
            "如果不是您本人申请，请忽略本邮件，您不会收到任何推送。\n", unsubscribe=False))
    return Requested(subscription, mailed=True)


def _load(token: str, salt: str, max_age: dt.timedelta | None) -> Subscription:
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError("确认链接已过期，请重新申请订阅。") from None
    except signing.BadSignature:
        raise ValidationError("链接无效，请检查是否完整复制了邮件中的链接。") from None
    subscription = Subscription.objects.select_related("page").filter(pk=pk).first()
    if subscription is None:
        raise ValidationError("该订阅不存在或已退订。")
    return subscription


def subscription_for_confirm(token: str) -> Subscription:
    """The subscription a confirmation link names (ValidationError if expired or wrong)."""
    return _load(token, CONFIRM_SALT, dt.timedelta(hours=confirm_hours()))


def subscription_for_unsubscribe(token: str) -> Subscription:
    return _load(token, UNSUBSCRIBE_SALT, None)


def confirm_subscription(*, token: str, acting_user: Any = None,
                         now: dt.datetime | None = None) -> Subscription:
    """Make a subscription live; items published before now are not pushed to it."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = subscription_for_confirm(token)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.confirmed_at is None:
            subscription.confirmed_at = now
            subscription.sent_up_to = now
            subscription.save(update_fields=["confirmed_at", "sent_up_to"])
            audit.record(action="content.subscription.confirm", actor=acting_user,
                         obj=subscription, details={"page": subscription.page_id})
    return subscription


def unsubscribe(*, token: str, acting_user: Any = None) -> int:
    """Delete the subscription the link names (and with it the sealed address)."""
    with transaction.atomic():
        subscription = subscription_for_unsubscribe(token)
        page_id = subscription.page_id
        audit.record(action="content.subscription.unsubscribe", actor=acting_user,
                     obj=subscription, details={"page": page_id})
        subscription.delete()
    return page_id


def _new_items(subscription: Subscription, limit: int) -> list[ContentItem]:
    return list(ContentItem.objects.live().descendant_of(subscription.page)
                .filter(first_published_at__gt=subscription.sent_up_to)
                .order_by("-first_published_at", "-pk")[:limit])


def _digest_body(subscription: Subscription, items: list[ContentItem]) -> str:
    base = public_base(subscription.page)
    lines = [f"您好：\n\n您订阅的“{_page_label(subscription.page)}”有 {len(items)} 条新信息：\n"]
    for item in items:
        when = timezone.localtime(item.first_published_at).date().isoformat() \
            if item.first_published_at else ""
        lines.append(f"· {item.title}（{when}）\n  {base}{item.get_url_parts()[2]}")
    lines.append(f"\n退订：{unsubscribe_url(subscription)}\n")
    return "\n".join(lines)


def send_digests(*, acting_user: Any = None, now: dt.datetime | None = None) -> int:
    """Mail every live subscription the items first published since its last digest;
    return how many digests were sent. One audit record for the run."""
    now = now or timezone.now()
    sent = 0
    pending = (Subscription.objects.filter(confirmed_at__isnull=False)
               .select_related("page").order_by("pk"))
    limit = digest_max_items()
    with transaction.atomic():
        for subscription in pending.select_for_update(skip_locked=True, of=("self",)):
            items = _new_items(subscription, limit)
            if not items:
                continue
            subject = f"订阅推送：{_page_label(subscription.page)}（{len(items)} 条新信息）"
            body = _digest_body(subscription, items)
            subscription.sent_up_to = max(i.first_published_at for i in items
                                          if i.first_published_at) or now
            subscription.save(update_fields=["sent_up_to"])
            transaction.on_commit(partial(_send, subscription, subject, body,
                                          unsubscribe=True))
            sent += 1
        if sent:
            audit.record(action="content.subscription.digest", actor=acting_user,
                         details={"digests": sent})
    return sent
