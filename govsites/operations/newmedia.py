"""政务新媒体: registering accounts, reading their updates, and the freshness alerts (NM-01/02).

An account is checked from its feed (RSS or Atom: the entries' dates) or page (the newest
date written on it) through a `FeedReader` — the real one fetches through the monitoring
network guard, tests use `FakeFeedReader` — or, without either, from the monthly counts its
owner enters. The rules are data: `new_media.zombie_after_days` (14 nationally: no update in
14 days makes a 僵尸号) and `new_media.min_updates_per_week` (梁平: 3). An account that breaks
one gets an open alert (one at a time) and its organisation's site administrators are told;
the alert closes when the account updates again.

Each alert is also a monitoring 整改单 (rule `new_media.stale`), opened through monitoring's
services like the inspector's and due in the same working days (`newmedia_tickets`); it is
closed by a passing re-check (问题销号) when the account updates again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from xml.etree import ElementTree

from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value

from . import audit as actions
from .models import AccountStatus, NewMediaAccount, NewMediaAlert, NewMediaMonthlyCount
from .newmedia_filing import register_account as register_account
from .newmedia_tickets import close_ticket_of, open_ticket_for_alert

MAX_FEED_BYTES = 2 * 1024 * 1024
FRESHNESS_RULES = ("NM-01", "NM-02")
NEW_MEDIA_STALE = "operations.new_media.stale"
_DATE_IN_TEXT = re.compile(r"(20\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})")


class FeedReader(Protocol):
    def fetch(self, url: str) -> bytes: ...


class HttpFeedReader:
    """Fetch a feed or page through the network guard (public addresses only), 15 s timeout."""

    def fetch(self, url: str) -> bytes:
        import httpx

        from govsites.monitoring.netguard import check_target

        check_target(url)
        with httpx.Client(timeout=15, follow_redirects=False, trust_env=False) as client:
            response = client.get(url, headers={"User-Agent": "govsites-new-media-check/1.0"})
            response.raise_for_status()
            return response.content[:MAX_FEED_BYTES]


@dataclass
class FakeFeedReader:
    """A reader answering from a dict (tests and the demo); a missing URL fails like a 404."""

    pages: dict[str, bytes] = field(default_factory=dict)

    def fetch(self, url: str) -> bytes:
        if url not in self.pages:
            raise OSError(f"404 {url}")
        return self.pages[url]


def post_times(body: bytes, *, now: dt.datetime) -> list[dt.datetime]:
    """The publication times in a feed (RSS pubDate, Atom updated/published) or, for a page,
    the dates written on it; none after now."""
    times: list[dt.datetime] = []
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        root = None
    if root is not None and root.tag.rsplit("}", 1)[-1] not in ("rss", "feed", "RDF"):
        root = None  # a page that happens to be well-formed XML
    if root is not None:
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            text = (element.text or "").strip()
            if not text:
                continue
            if tag in ("pubDate", "date"):
                try:
                    times.append(parsedate_to_datetime(text))
                except (TypeError, ValueError):
                    continue
            elif tag in ("updated", "published"):
                try:
                    times.append(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
                except ValueError:
                    continue
    else:
        text = body.decode("utf-8", "replace")
        for y, m, d in _DATE_IN_TEXT.findall(text):
            try:
                times.append(dt.datetime(int(y), int(m), int(d), 12, tzinfo=timezone.get_current_timezone()))
            except ValueError:
                continue
    aware = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in times]
    return sorted(t for t in aware if t <= now)


def record_monthly_count(*, account: NewMediaAccount, month: dt.date, posts: int,
                         acting_user: Any, last_post_on: dt.date | None = None
                         ) -> NewMediaMonthlyCount:
    """The owner's count of one month's posts (for accounts without a feed)."""
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValueError("不能填报尚未开始的月份。")
    if last_post_on is not None and (last_post_on.replace(day=1) != month or posts == 0):
        raise ValueError("最后发布日期须在所填月份内，且当月发布条数大于0。")
    with transaction.atomic():
        row, _ = NewMediaMonthlyCount.objects.update_or_create(
            account=account, month=month,
            defaults={"posts": posts, "last_post_on": last_post_on, "entered_by": acting_user})
        audit.record(action=actions.NEW_MEDIA_COUNT, actor=acting_user, obj=account,
                     organisation=account.organisation,
                     details={"month": f"{month:%Y-%m}", "posts": posts})
    return row


def _last_from_counts(account: NewMediaAccount) -> dt.datetime | None:
    row = account.monthly_counts.filter(posts__gt=0).order_by("-month").first()
    if row is None:
        return None
    day = row.last_post_on or row.month  # without a date, assume the month's first day
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class CheckResult:
    account: NewMediaAccount
    last_post_at: dt.datetime | None
    posts_last_week: int | None
    alert: NewMediaAlert | None


def check_account(account: NewMediaAccount, *, reader: FeedReader,
                  now: dt.datetime | None = None) -> CheckResult:
    """Read an account's updates and open or close its freshness alert; screen what was read
    for forced-interaction wording (NM-06, `newmedia_checks.judge_content`)."""
    from .newmedia_checks import judge_content

    now = now or timezone.now()
    last, week, error = None, None, ""
    body: bytes | None = None
    if account.feed_url:
        try:
            body = reader.fetch(account.feed_url)
            times = post_times(body, now=now)
        except Exception as exc:  # any failure to read is recorded, not raised
            error = f"读取失败：{exc}"[:300]
        else:
            last = times[-1] if times else None
            week = sum(1 for t in times if now - t <= dt.timedelta(days=7))
    if last is None:
        last = _last_from_counts(account) or account.last_post_at
    with transaction.atomic():
        account.last_post_at = last
        account.last_checked_at = now
        account.check_error = error
        account.save(update_fields=["last_post_at", "last_checked_at", "check_error"])
        alert = _judge(account, last, week, now)
        judge_content(account, body, now)
    return CheckResult(account, last, week, alert)


def _judge(account: NewMediaAccount, last: dt.datetime | None, week: int | None,
           now: dt.datetime) -> NewMediaAlert | None:
    """Open an alert when a rule is broken (one open alert per account); close it when not."""
    zombie_days = int(rule_value("new_media.zombie_after_days") or 14)
    per_week = rule_value("new_media.min_updates_per_week")
    since = last or dt.datetime.combine(account.opened_on, dt.time(), tzinfo=dt.UTC)
    days = (now - since).days
    problem = None
    if days >= zombie_days:
        problem = ("NM-01", f"已{days}天未更新（{zombie_days}天未更新即为“僵尸号”）")
    elif per_week and week is not None and week < int(per_week):
        problem = ("NM-02", f"近7天更新{week}次，少于每周{per_week}次")
    open_alert = account.alerts.filter(closed_at__isnull=True, rule_id__in=FRESHNESS_RULES).first()
    if problem is None:
        if open_alert is not None:
            open_alert.closed_at = now
            open_alert.save(update_fields=["closed_at"])
            close_ticket_of(open_alert)
        return None
    if open_alert is not None:
        open_alert.days_without_update = days
        open_alert.save(update_fields=["days_without_update"])
        return open_alert
    alert = NewMediaAlert.objects.create(account=account, opened_at=now, rule_id=problem[0],
                                         days_without_update=days, message=problem[1])
    alert.ticket = open_ticket_for_alert(alert, today=timezone.localdate(now))
    alert.save(update_fields=["ticket"])
    audit.record(action=actions.NEW_MEDIA_ALERT, actor=None, obj=alert,
                 organisation=account.organisation, details={"rule": problem[0], "days": days})
    transaction.on_commit(lambda: _notify(alert))
    return alert


def _notify(alert: NewMediaAlert) -> None:
    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    account = alert.account
    notice = notifications.Notice(
        kind=NEW_MEDIA_STALE, item_key=f"{NEW_MEDIA_STALE}:{alert.pk}",
        subject=f"政务新媒体更新告警：{account}",
        body=f"“{account}”{alert.message}，请主办单位尽快更新或按规定办理关停注销。")
    notifications.notify(notice=notice,
                         recipients=users_with_role("site_admin", account.organisation))


def check_all_accounts(*, reader: FeedReader | None = None, ipv6: Any = None,
                       now: dt.datetime | None = None) -> list[CheckResult]:
    """Check every running account (the worker's daily job), and apps' IPv6 (NM-07)."""
    from .newmedia_checks import DnsIpv6Checker, check_ipv6

    reader = reader or HttpFeedReader()
    ipv6 = ipv6 or DnsIpv6Checker()
    results = []
    for account in (NewMediaAccount.objects.filter(status=AccountStatus.RUNNING)
                    .select_related("organisation")):
        results.append(check_account(account, reader=reader, now=now))
        check_ipv6(account, checker=ipv6, now=now)
    return results


def open_alerts() -> Any:
    """Alerts not yet closed, newest first."""
    return NewMediaAlert.objects.filter(closed_at__isnull=True).select_related(
        "account__organisation")


def accounts_of(organisation: Any, *, year: int | None = None) -> list[NewMediaAccount]:
    """An organisation's accounts running at some point of a year (all when year is None)."""
    qs = NewMediaAccount.objects.filter(organisation=organisation)
    if year is not None:
        qs = qs.filter(opened_on__lte=dt.date(year, 12, 31)).exclude(
            closed_on__lt=dt.date(year, 1, 1))
    return list(qs)


def posts_in_year(account: NewMediaAccount, year: int) -> int | None:
    """Posts entered for a year's months (None when nothing was entered)."""
    rows = account.monthly_counts.filter(month__year=year)
    return sum(r.posts for r in rows) if rows else None
