"""The upstream repost watch (CC-30): important policy items of the portal of the level above and
of the site's own portal must be reposted by each site of the cluster within
`repost.upstream_max_hours` (丹东、亳州: 12 hours; national: 及时, no number).

Upstream items come from two places:

- the cluster itself: items of importance 重大/特级 on a site's upstream portals
  (`content.repost_selectors.upstream_sites`);
- feeds (RSS 2.0 or Atom) of portals outside the cluster, named in the cluster parameter
  `repost.upstream_feeds` ({name: address}); `services.fetch_upstream_feeds` (hourly) reads them, only
  at addresses inside `GOVSITES_OUTBOUND_ALLOWED_NETWORKS`, and keeps each entry once
  (`UpstreamEntry`). Every entry of a configured feed counts as important: configure the feed
  of the upstream portal's 重要政策 column. Every online site must repost feed entries.

`missing_reposts(site)` lists what a site has not reposted, with its deadline; the platform
check `content.repost_overdue` turns the overdue ones into findings, hence 整改单 (the hourly job
`monitoring.repost_watch`), and the admin page 转载监测 shows the whole table.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.utils import timezone

from govsites.content import repost_selectors
from govsites.content.repost_selectors import UpstreamItem

from . import netguard
from .httpclient import USER_AGENT, _routed
from .rulebook import Rulebook, load_rulebook

FEED_TIMEOUT = 15.0
MAX_FEED_BYTES = 2 * 1024 * 1024
# 发文字号 in a feed entry's title or summary: 国办发〔2026〕12号, 粤府〔2026〕3号, 国发[2026]1号
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,5}号")
_ATOM = "{http://www.w3.org/2005/Atom}"


class FeedError(Exception):
    """A feed could not be read (with a Chinese message)."""


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    published_at: dt.datetime | None
    document_number: str


def parse_feed(body: bytes) -> list[FeedEntry]:
    """The entries of an RSS 2.0 or Atom document; raises FeedError for anything else.

    A document with a DOCTYPE is refused (entity expansion is the classic XML attack).
    """
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in body.lower():
        raise FeedError("订阅源含有 DOCTYPE/ENTITY 声明，已拒绝解析。")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FeedError(f"订阅源不是有效的 XML：{exc}") from exc
    entries: list[FeedEntry] = []
    if root.tag == "rss" or root.find("channel") is not None:
        for item in root.iter("item"):
            title = (item.findtext("title") or "").strip()
            link = (item.findtext("link") or "").strip()
            text = f"{title} {item.findtext('description') or ''}"
            entries.append(FeedEntry(title, link, _rss_date(item.findtext("pubDate")),
                                     _number(text)))
    elif root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            title = (entry.findtext(f"{_ATOM}title") or "").strip()
            link_node = entry.find(f"{_ATOM}link")
            link = (link_node.get("href", "") if link_node is not None else "").strip()
            when = entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated")
            text = f"{title} {entry.findtext(f'{_ATOM}summary') or ''}"
            entries.append(FeedEntry(title, link, _iso_date(when), _number(text)))
    else:
        raise FeedError("订阅源既不是 RSS 2.0 也不是 Atom 格式。")
    return [e for e in entries if e.title and e.link.startswith(("http://", "https://"))]


def _number(text: str) -> str:
    found = DOCUMENT_NUMBER.search(text)
    return found.group(0) if found else ""


def _rss_date(text: str | None) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(text.strip()) if text else None
    except (TypeError, ValueError):
        return None


def _iso_date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def read_feed(url: str, *, transport: httpx.BaseTransport | None = None) -> list[FeedEntry]:
    """Fetch and parse one feed; only inside the allowed networks, no redirects followed."""
    try:
        netguard.check_target(url)
    except netguard.TargetNotAllowed as exc:
        raise FeedError(str(exc)) from exc
    target, headers = _routed(url)
    try:
        with httpx.Client(transport=transport, timeout=FEED_TIMEOUT, follow_redirects=False,
                          trust_env=False, headers={"User-Agent": USER_AGENT}) as client:
            response = client.get(target, headers=headers)
    except httpx.HTTPError as exc:
        raise FeedError(f"无法读取订阅源：{type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise FeedError(f"订阅源返回 HTTP {response.status_code}。")
    if len(response.content) > MAX_FEED_BYTES:
        raise FeedError("订阅源超过 2 MB，已拒绝解析。")
    return parse_feed(response.content)


def configured_feeds(rulebook: Rulebook | None = None) -> dict[str, str]:
    """The cluster's upstream feeds {name: address} (parameter `repost.upstream_feeds`)."""
    book = rulebook or load_rulebook()
    feeds = book.value("repost.upstream_feeds") or {}
    return {str(name): str(url) for name, url in feeds.items()
            if str(url).startswith(("http://", "https://"))}


# --- the watch --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RepostDue:
    """An upstream item a site has not reposted, and by when it had to."""

    item: UpstreamItem
    site: Any
    max_hours: int | None  # None: 及时转载 (the national rule gives no number)

    @property
    def due(self) -> dt.datetime | None:
        if self.max_hours is None:
            return None
        return self.item.published_at + dt.timedelta(hours=self.max_hours)

    def overdue(self, now: dt.datetime) -> bool:
        due = self.due
        return due is not None and now > due


def _feed_items(since: dt.datetime) -> list[UpstreamItem]:
    from .models import UpstreamEntry

    items = []
    for entry in UpstreamEntry.objects.filter(published_at__gte=since).order_by("published_at"):
        items.append(UpstreamItem(
            key=f"feed:{entry.pk}", source=entry.feed_name, title=entry.title,
            document_number=entry.document_number, url=entry.link,
            published_at=entry.published_at,
            addresses=frozenset({repost_selectors.normalise_address(entry.link)} - {""})))
    return items


def missing_reposts(profile: Any, *, now: dt.datetime, rulebook: Rulebook | None = None,
                    sites: list[Any] | None = None) -> list[RepostDue]:
    """The upstream items of the watch window that `profile` has not reposted (oldest first)."""
    from . import selectors as monitoring_selectors

    book = rulebook or load_rulebook(site=profile)
    since = now - dt.timedelta(days=int(book.value("repost.watch_days")))
    hours = book.value("repost.upstream_max_hours")
    everyone = sites if sites is not None else monitoring_selectors.online_sites()
    candidates: list[UpstreamItem] = []
    for upstream in repost_selectors.upstream_sites(profile, everyone):
        candidates.extend(repost_selectors.important_items(upstream, since=since))
    candidates.extend(_feed_items(since))
    if not candidates:
        return []
    done = repost_selectors.site_reposts(profile, since=since)
    missing = [RepostDue(item=item, site=profile,
                         max_hours=None if hours is None else int(hours))
               for item in candidates if not done.has(item) and item.published_at <= now]
    return sorted(missing, key=lambda due: (due.item.published_at, due.item.key))


@dataclass(frozen=True)
class WatchRow:
    """One upstream item and the sites that have not reposted it (the admin page)."""

    item: UpstreamItem
    missing: list[RepostDue]

    def overdue_sites(self, now: dt.datetime) -> list[Any]:
        return [due.site for due in self.missing if due.overdue(now)]


def repost_watch(*, now: dt.datetime | None = None, sites: list[Any] | None = None
                 ) -> list[WatchRow]:
    """The whole cluster's watch: each upstream item with the sites still to repost it."""
    from . import selectors as monitoring_selectors

    now = now or timezone.now()
    everyone = sites if sites is not None else monitoring_selectors.online_sites()
    rows: dict[str, WatchRow] = {}
    for profile in everyone:
        for due in missing_reposts(profile, now=now, sites=everyone):
            rows.setdefault(due.item.key, WatchRow(item=due.item, missing=[])).missing.append(due)
    return sorted(rows.values(), key=lambda row: row.item.published_at, reverse=True)
