"""Reads for the upstream repost watch (CC-30): the important items a site's upstream portals
published, and what a site has reposted.

A site's upstream in the cluster (本级和上级门户网站) is its own portal and whatever is upstream of
that portal; a county site's upstream is the cluster's city portal. A city portal has none inside
the cluster: its upstream (the province's or the State Council's portal) reaches the platform as
a configured feed (monitoring.reposting).

An item is important (重要政策信息) when its 重要程度 is 重大 or 特级. A site has reposted it when it
holds a 转载 of it (a Wagtail alias), or an item with the same title, the same 发文字号, or a
来源网址 naming the item's address.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .choices import Importance
from .models import ContentItem

IMPORTANT = (Importance.MAJOR, Importance.CRITICAL)
_SPACE = re.compile(r"\s+")


def normalise_title(text: str) -> str:
    """A title as the match compares it: NFKC, no spaces, no quotes around it."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).strip("《》\"'“”")


def normalise_address(url: str) -> str:
    """An address as the match compares it: host and path, without scheme, query or end slash."""
    parts = urlsplit((url or "").strip())
    if not parts.hostname:
        return ""
    return f"{parts.hostname.lower()}{parts.path.rstrip('/')}"


@dataclass(frozen=True)
class UpstreamItem:
    """One important item a site downstream must repost."""

    key: str  # "item:<pk>" for an item of the cluster, "feed:<pk>" for a feed entry
    source: str  # the upstream site's or feed's name
    title: str
    document_number: str
    url: str
    published_at: dt.datetime
    item_id: int | None = None
    addresses: frozenset[str] = field(default_factory=frozenset)  # normalised, for 来源网址


@dataclass(frozen=True)
class SiteReposts:
    """What a site published since a moment, as the repost match reads it."""

    alias_of: frozenset[int]
    titles: frozenset[str]
    document_numbers: frozenset[str]
    source_addresses: frozenset[str]

    def has(self, item: UpstreamItem) -> bool:
        """Say whether the site reposted `item` (alias, title, 文号 or 来源网址)."""
        if item.item_id is not None and item.item_id in self.alias_of:
            return True
        if normalise_title(item.title) in self.titles:
            return True
        number = normalise_title(item.document_number)
        if number and number in self.document_numbers:
            return True
        wanted = item.addresses | {normalise_address(item.url)}
        return bool((wanted - {""}) & self.source_addresses)


def upstream_sites(profile: Any, sites: Iterable[Any]) -> list[Any]:
    """The sites of the cluster whose important items `profile` must repost, nearest first."""
    from govsites.sites.choices import SiteKind

    everyone = list(sites)
    by_pk = {site.pk: site for site in everyone}
    city_portals = [s for s in everyone if s.kind == SiteKind.PORTAL and s.portal_id is None]
    found: list[Any] = []
    node = profile
    while True:
        if node.portal_id and node.portal_id in by_pk:
            above = [by_pk[node.portal_id]]
        elif node.kind == SiteKind.COUNTY:
            above = city_portals
        else:
            above = []
        above = [s for s in above if s.pk != profile.pk and s not in found]
        if not above:
            return found
        found.extend(above)
        node = above[0]


def important_items(profile: Any, *, since: dt.datetime) -> list[UpstreamItem]:
    """A site's own live items of importance 重大/特级 first published since `since`."""
    home = profile.site.root_page
    rows = (ContentItem.objects.live().descendant_of(home)
            .filter(alias_of__isnull=True, importance__in=IMPORTANT,
                    first_published_at__gte=since)
            .select_related("policydocumentpage").order_by("first_published_at", "pk"))
    items = []
    for row in rows:
        url = row.get_full_url() or ""
        path = urlsplit(url).path
        number = getattr(getattr(row, "policydocumentpage", None), "document_number", "") or ""
        addresses = frozenset({normalise_address(url),
                               normalise_address(f"https://{profile.domain}{path}")} - {""})
        items.append(UpstreamItem(key=f"item:{row.pk}", source=profile.name, title=row.title,
                                  document_number=number, url=url,
                                  published_at=row.first_published_at, item_id=row.pk,
                                  addresses=addresses))
    return items


def site_reposts(profile: Any, *, since: dt.datetime) -> SiteReposts:
    """What a site published (its own items and its 转载) since `since`."""
    home = profile.site.root_page
    rows = (ContentItem.objects.live().descendant_of(home)
            .filter(first_published_at__gte=since)
            .values_list("alias_of_id", "title", "source_url",
                         "policydocumentpage__document_number"))
    aliases, titles, numbers, addresses = set(), set(), set(), set()
    for alias_of, title, source_url, number in rows:
        if alias_of is not None:
            aliases.add(int(alias_of))
        titles.add(normalise_title(title))
        if number:
            numbers.add(normalise_title(number))
        if source_url:
            addresses.add(normalise_address(source_url))
    return SiteReposts(alias_of=frozenset(aliases), titles=frozenset(titles),
                       document_numbers=frozenset(numbers),
                       source_addresses=frozenset(addresses - {""}))
