"""Reading the visit log (访问日志): one request per line in nginx's `govsites_visits` format.

Pure functions, no database: `LogCounter.add_line` classifies a line (page view, 404, bot,
简/繁, 适老化, device, referrer, search terms) and adds it to in-memory daily counters keyed by
site and Beijing-time day. Addresses are turned into salted digests here and never kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from govsites.publishing.nginx import VISIT_LOG_FIELDS

BEIJING = ZoneInfo("Asia/Shanghai")
FIELD_COUNT = len(VISIT_LOG_FIELDS)
HANT_PREFIX = "/zh-hant"
# Requests that are not pages a person reads: assets, the admin, APIs, the application's own.
NOT_PAGES = ("/static/", "/media/", "/admin", "/django-admin", "/_govsites/", "/api/",
             "/documents/", "/favicon.ico", "/robots.txt", "/sitemap")
SEARCH_PATHS = ("/search/", "/search")
BOT_MARKERS = ("bot", "spider", "crawl", "slurp", "govsites", "python-", "headless", "monitor")
# Search engines by host suffix, with the query parameters that carry the term.
SEARCH_ENGINES: dict[str, tuple[str, ...]] = {
    "baidu.com": ("wd", "word"), "so.com": ("q",), "sogou.com": ("query",), "bing.com": ("q",),
    "google.com": ("q",), "google.com.hk": ("q",), "sm.cn": ("q",), "toutiao.com": ("keyword",),
}
TERM_MAX = 100
VISITOR_BYTES = 8
PATH_MAX = 500
_ESCAPE = re.compile(rb"\\x([0-9A-Fa-f]{2})")


def unescape(value: str) -> str:
    """Undo nginx's \\xXX escaping of a logged value (UTF-8 bytes in addresses and agents)."""
    if "\\x" not in value:
        return value
    raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), value.encode("latin-1", "replace"))
    return raw.decode("utf-8", "replace")


def device_of(agent: str) -> str:
    """Return 'tablet', 'mobile' or 'desktop' for a user agent (lowercased)."""
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    if "mobi" in agent or "android" in agent or "iphone" in agent:
        return "mobile"
    return "desktop"


def is_bot(agent: str) -> bool:
    """A crawler, monitor or script rather than a person (lowercased agent)."""
    return agent in ("", "-") or any(marker in agent for marker in BOT_MARKERS)


def page_path(path: str) -> str | None:
    """The page address a request reads (繁体 folded into 简体), or None for a non-page."""
    if path.startswith(HANT_PREFIX + "/") or path == HANT_PREFIX:
        path = path[len(HANT_PREFIX):] or "/"
    if path.startswith(NOT_PAGES):
        return None
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    if path.endswith("/") or path.endswith(".html") or path.endswith(".htm"):
        return path[:PATH_MAX]
    return None


def search_term_of_referrer(host: str, query: str) -> str:
    """The term a search engine passed in its referrer (most engines no longer pass one)."""
    for suffix, names in SEARCH_ENGINES.items():
        if host == suffix or host.endswith("." + suffix):
            params = parse_qs(query)
            for name in names:
                if params.get(name):
                    return params[name][0].strip()[:TERM_MAX]
            return ""
    return ""


COUNTERS = ("page_views", "not_found", "hant_views", "care_views", "mobile_views",
            "tablet_views", "desktop_views", "bot_hits")
PAGE_VIEWS, NOT_FOUND, HANT, CARE, MOBILE, TABLET, DESKTOP, BOTS = range(len(COUNTERS))
DEVICE_COUNTER = {"mobile": MOBILE, "tablet": TABLET, "desktop": DESKTOP}

Key = tuple[int, dt.date]


@dataclass(frozen=True)
class Address:
    """What a request address means for the statistics (cached per distinct address)."""

    page: str | None
    hant: bool
    search_term: str


def classify_address(uri: str) -> Address:
    """The page a request reads, whether in 繁体, and its on-site search term."""
    path, _, query = uri.partition("?")
    if "\\x" in path:
        path = unescape(path)
    page = page_path(path)
    term = ""
    if page in SEARCH_PATHS and query:
        term = parse_qs(unescape(query)).get("q", [""])[0].strip()[:TERM_MAX]
    return Address(page, path.startswith(HANT_PREFIX), term)


@dataclass
class DayBucket:
    """The counts of one site on one day (`totals` in the order of COUNTERS)."""

    totals: list[int]
    pages: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    visitors: set[bytes] = field(default_factory=set)
    digests: dict[tuple[str, str], bytes] = field(default_factory=dict)


@dataclass
class LogCounter:
    """Daily counters for the lines of one import, keyed by (site id, day).

    `sites` maps the logged site host name to a registry id; `own_hosts` maps each site id to
    the names under which it answers (a referrer from them is not an outside source);
    `salt_for` returns the day's salt for visitor digests. Classifications of agents,
    addresses and referrers are cached: a log repeats them far more often than it varies them.
    """

    sites: dict[str, int]
    own_hosts: dict[int, set[str]]
    salt_for: Callable[[dt.date], bytes]
    buckets: dict[Key, DayBucket] = field(default_factory=dict)
    referrers: Counter[tuple[int, dt.date, str]] = field(default_factory=Counter)
    terms: Counter[tuple[int, dt.date, str, str]] = field(default_factory=Counter)
    lines: int = 0
    malformed: int = 0
    unknown_site: int = 0
    _days: dict[str, dt.date] = field(default_factory=dict)
    _agents: dict[str, int] = field(default_factory=dict)
    _addresses: dict[str, Address] = field(default_factory=dict)
    _referrers: dict[tuple[int, str], tuple[str, str] | None] = field(default_factory=dict)

    @property
    def totals(self) -> dict[Key, list[int]]:
        return {key: bucket.totals for key, bucket in self.buckets.items()}

    @property
    def pages(self) -> dict[tuple[int, dt.date, str], int]:
        return {(*key, page): n for key, b in self.buckets.items() for page, n in b.pages.items()}

    @property
    def missing(self) -> dict[tuple[int, dt.date, str], int]:
        return {(*key, page): n for key, b in self.buckets.items()
                for page, n in b.missing.items()}

    @property
    def visitors(self) -> dict[Key, set[bytes]]:
        return {key: bucket.visitors for key, bucket in self.buckets.items()}

    def day_of(self, stamp: str) -> dt.date:
        """The Beijing-time day of an ISO 8601 time with offset.

        Cached per hour when the offset is whole hours (the day then changes on the hour),
        else per minute: the cache key is the hour (or minute) plus the offset.
        """
        moment = dt.datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BEIJING)
        day = moment.astimezone(BEIJING).date()
        offset = moment.utcoffset() or dt.timedelta()
        if offset.total_seconds() % 3600 == 0:
            self._days[stamp[:13] + stamp[19:]] = day
        return day

    def visitor(self, day: dt.date, address: str, agent: str) -> bytes:
        """The day's salted 8-byte digest of an address and user agent (neither is kept)."""
        return hashlib.blake2b(f"{address}\t{agent}".encode(), digest_size=VISITOR_BYTES,
                               key=self.salt_for(day)).digest()

    def _agent(self, agent: str) -> int:
        """BOTS for a crawler, else the device counter of the agent (cached)."""
        kind = self._agents.get(agent)
        if kind is None:
            lowered = agent.lower()
            kind = BOTS if is_bot(lowered) else DEVICE_COUNTER[device_of(lowered)]
            self._agents[agent] = kind
        return kind

    def add_line(self, line: str) -> None:
        """Classify one log line and add it to the counters."""
        self.add_lines([line.rstrip("\n")])

    def add_lines(self, lines: Iterable[str]) -> None:
        """Classify log lines (without their newline) and add them to the counters.

        The import's inner loop: attributes are bound to locals once per block, and each
        (site, day) has its own bucket so that the per-line keys are short.
        """
        sites, days, agents, addresses = self.sites, self._days, self._agents, self._addresses
        buckets, width = self.buckets, len(COUNTERS)
        seen = malformed = unknown = 0
        for line in lines:
            seen += 1
            parts = line.split("\t")
            if len(parts) != FIELD_COUNT:
                malformed += 1
                continue
            stamp, host, address, method, uri, status, referrer, agent, mode = parts
            site_id = sites.get(host)
            if site_id is None:
                unknown += 1
                continue
            day = days.get(stamp[:13] + stamp[19:])
            if day is None:
                try:
                    day = self.day_of(stamp)
                except ValueError:
                    malformed += 1
                    continue
            bucket = buckets.get((site_id, day))
            if bucket is None:
                bucket = buckets[(site_id, day)] = DayBucket([0] * width)
            totals = bucket.totals
            kind = agents.get(agent)
            if kind is None:
                kind = self._agent(agent)
            if kind == BOTS:
                totals[BOTS] += 1
                continue
            where = addresses.get(uri)
            if where is None:
                where = addresses[uri] = classify_address(uri)
            page = where.page
            if page is None:
                continue
            if status == "404":
                totals[NOT_FOUND] += 1
                bucket.missing[page] = bucket.missing.get(page, 0) + 1
                continue
            if method != "GET" or (status != "200" and status != "304"):
                continue
            totals[PAGE_VIEWS] += 1
            totals[kind] += 1
            pages = bucket.pages
            pages[page] = pages.get(page, 0) + 1
            if where.hant:
                totals[HANT] += 1
            if mode == "care":
                totals[CARE] += 1
            digests = bucket.digests
            digest = digests.get((address, agent))
            if digest is None:
                digest = digests[(address, agent)] = self.visitor(day, address, agent)
                bucket.visitors.add(digest)
            if where.search_term:
                self.terms[(site_id, day, "on_site", where.search_term)] += 1
            if referrer != "-" and referrer:
                self._add_referrer(site_id, day, referrer)
        self.lines += seen
        self.malformed += malformed
        self.unknown_site += unknown

    def _add_referrer(self, site_id: int, day: dt.date, referrer: str) -> None:
        cache_key = (site_id, referrer)
        if cache_key in self._referrers:
            found = self._referrers[cache_key]
        else:
            found = self._referrers[cache_key] = self._outside_referrer(site_id, referrer)
        if found is None:
            return
        host, term = found
        self.referrers[(site_id, day, host)] += 1
        if term:
            self.terms[(site_id, day, "engine", term)] += 1

    def _outside_referrer(self, site_id: int, referrer: str) -> tuple[str, str] | None:
        """(host, search-engine term) of a referrer from outside the site, else None."""
        try:
            parts = urlsplit(unescape(referrer))
        except ValueError:
            return None
        host = (parts.hostname or "")[:253]
        if not host or host in self.own_hosts.get(site_id, ()):
            return None
        return host, search_term_of_referrer(host, parts.query)


def format_line(*, when: dt.datetime, site: str, address: str, method: str, uri: str,
                status: int, referrer: str, agent: str, mode: str) -> str:
    """One line in the visit log format, escaped as nginx escapes it (the embedded mode's writer)."""
    values = [when.isoformat(timespec="seconds"), site, address, method, uri, str(status),
              referrer or "-", agent or "-", mode or "-"]
    return "\t".join(_escape(v) for v in values) + "\n"


def _escape(value: str) -> str:
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return value
    out = []
    for byte in value.encode("utf-8"):
        if byte < 32 or byte > 126 or byte in (34, 92):
            out.append(f"\\x{byte:02X}")
        else:
            out.append(chr(byte))
    return "".join(out)
