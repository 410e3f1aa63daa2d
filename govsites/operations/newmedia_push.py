"""政务新媒体 push of a site's important information (NM-05, 丹东 第42条).

Where `new_media.push_important_items` is on for a site, every item it publishes as 重大 or
特级 (the item's 重要程度) is to be pushed to each running account of the site's 主办单位 on the
platforms of `new_media.push_platforms` (微博, 微信, 移动客户端). The hourly job opens one push
record per item and account, due `new_media.push_within_hours` after the item's first
publication (丹东 says 同步; the hours are the platform's allowance for doing it by hand), and
raises one alert for each record still not pushed when due. The owner records the push (time
and address) on the 政务新媒体 screen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value
from govsites.sites.choices import SiteStatus

from . import audit as actions
from .models import AccountStatus, NewMediaAccount, NewMediaPush
from .selectors import important_items_published

LOOKBACK = dt.timedelta(days=7)  # how far back the sweep looks for items it has not seen yet


def push_required(site: Any) -> bool:
    """NM-05: whether the rules in force for a site require pushing its important items."""
    return bool(rule_value("new_media.push_important_items", site=site))


def open_push_records(*, now: dt.datetime | None = None) -> list[NewMediaPush]:
    """Open the missing push records of important items published in the last week."""
    from govsites.sites.selectors import all_sites

    now = now or timezone.now()
    created: list[NewMediaPush] = []
    sites = all_sites().filter(status=SiteStatus.ONLINE).select_related("site",
                                                                        "host_organisation")
    for site in sites:
        if not push_required(site):
            continue
        hours = int(rule_value("new_media.push_within_hours", site=site))
        platforms = [str(p) for p in rule_value("new_media.push_platforms", site=site)]
        accounts = list(NewMediaAccount.objects.filter(
            organisation_id=site.host_organisation_id, status=AccountStatus.RUNNING,
            platform__in=platforms))
        if not accounts:
            continue
        for item in important_items_published(site.site.root_page, since=now - LOOKBACK):
            published = item.first_published_at
            for account in accounts:
                if account.opened_on > timezone.localdate(published):
                    continue
                push, new = NewMediaPush.objects.get_or_create(
                    account=account, item=item,
                    defaults={"site": site, "title": item.title[:255], "published_at": published,
                              "due_at": published + dt.timedelta(hours=hours)})
                if new:
                    created.append(push)
    return created


def record_push(*, push: NewMediaPush, pushed_at: dt.datetime, acting_user: Any,
                post_url: str = "") -> NewMediaPush:
    """Record that an important item was pushed to the account (when, and where to see it)."""
    if push.pushed_at is not None:
        raise ValidationError("已登记推送。")
    if pushed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError("推送时间不能晚于当前时间。")
    if pushed_at < push.published_at:
        raise ValidationError("推送时间不能早于网站发布时间。")
    with transaction.atomic():
        push.pushed_at = pushed_at
        push.post_url = post_url.strip()
        push.recorded_by = acting_user
        push.full_clean()
        push.save(update_fields=["pushed_at", "post_url", "recorded_by"])
        audit.record(action=actions.NEW_MEDIA_PUSH, actor=acting_user, obj=push,
                     organisation=push.account.organisation,
                     details={"item": push.item_id, "late": pushed_at > push.due_at})
    return push


def alert_late_pushes(*, now: dt.datetime | None = None) -> list[NewMediaPush]:
    """Raise one alert per push record past its time and still not pushed (audited once)."""
    now = now or timezone.now()
    late = list(NewMediaPush.objects.filter(pushed_at__isnull=True, alerted_at__isnull=True,
                                            due_at__lt=now)
                .select_related("account__organisation", "site"))
    for push in late:
        with transaction.atomic():
            push.alerted_at = now
            push.save(update_fields=["alerted_at"])
            audit.record(action=actions.NEW_MEDIA_PUSH_LATE, actor=None, obj=push,
                         organisation=push.account.organisation,
                         details={"item": push.item_id, "due": push.due_at.isoformat()})
    return late


def pending_pushes(accounts: list[NewMediaAccount]) -> list[NewMediaPush]:
    """Push records of these accounts not yet pushed, oldest due first."""
    return list(NewMediaPush.objects.filter(account__in=accounts, pushed_at__isnull=True)
                .select_related("account", "site").order_by("due_at"))
