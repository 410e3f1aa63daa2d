"""The polite concurrent crawler behind `govsites inspect`.

It crawls one site (the start host and its subdomains, same port) within a page budget, following
links in pages and the sitemap, and checks every other reference once: attachments, resources
(images, scripts, stylesheets) and external links. External hosts outside
`GOVSITES_OUTBOUND_ALLOWED_NETWORKS` are never contacted: they are reported as not checked.
Politeness is per host: at most `per_host_concurrency` requests in flight and `delay` seconds
between request starts.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from . import netguard
from .http11 import Http11Client
from .httpclient import FetchResult, HttpClient
from .pageparse import Link, is_attachment, normalise_url, parse_page

SITEMAP_LOC_RE = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>", re.IGNORECASE)
MAX_REFERRERS = 20
MAX_SITEMAPS = 50
# The 繁体 copy of every page (publishing/variants.py): the same content again, so it is not
# crawled unless asked for.
TRADITIONAL_PREFIX = "/zh-hant"
NOT_ALLOWED = "不在允许访问的网络范围内，未检查"
UNRESOLVED_OFFLINE = "域名无法解析（本机无法访问外网，或域名已失效），未检查"
UNRESOLVED_ERROR = "域名无法解析（域名不存在或已失效）"


@dataclass
class CrawlConfig:
    """How far and how fast to crawl. The defaults are polite enough for sites we do not run."""

    start_url: str
    max_pages: int = 500
    concurrency: int = 16
    per_host_concurrency: int = 2
    delay: float = 0.5
    # None: the rule set's value (link.broken.timeout_seconds, content.spam_injection.offscreen_px),
    # filled in by the Inspector from the rulebook it judges with.
    timeout: float | None = None
    check_external: bool = True
    follow_sitemap: bool = True
    offscreen_px: float | None = None
    analysis_workers: int = 0  # processes that parse and check pages (0: in the crawling process)
    include_traditional: bool = False  # crawl the /zh-hant/ copies of the pages too


#: At most this many of the site's own stylesheets are read (CC-32), each up to this many bytes.
STYLESHEET_LIMIT = 30
STYLESHEET_BYTES = 1_000_000


@dataclass(slots=True)
class LinkStatus:
    """The outcome of checking one referenced URL, with the pages that reference it."""

    url: str
    kind: str  # "page" | "attachment" | "resource" | "external"
    status: int = 0
    error: str = ""
    checked: bool = False
    not_checked_reason: str = ""
    referrers: list[tuple[str, str]] = field(default_factory=list)
    referrer_count: int = 0

    @property
    def broken(self) -> bool:
        return self.checked and (bool(self.error) or self.status >= 400)


@dataclass
class CrawlStats:
    pages: int = 0
    checks: int = 0
    errors: int = 0
    queued: int = 0
    skipped_nofollow: int = 0  # pages of the site linked only with rel=nofollow (not followed)
    skipped_traditional: int = 0  # /zh-hant/ copies not crawled
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


FetchHandler = Callable[[FetchResult], None]
ProgressHandler = Callable[[CrawlStats, int], None]
PageJob = tuple[str, str, bytes]  # (requested URL, final URL, body)


class PageOutcome(Protocol):
    """What the crawler reads from an analysed page: its URL, and its links unless it failed."""

    url: str


class PageAnalysisBackend(Protocol):
    """Where fetched pages go to be read; `deliver` is called on the event loop, maybe at once."""

    workers: int

    async def start(self) -> None:
        ...

    def submit(self, job: PageJob, deliver: Callable[[Any], None]) -> None:
        ...

    async def aclose(self) -> None:
        ...


@dataclass(slots=True)
class _LinksOnly:
    url: str
    links: list[Link]


class LinksOnlyAnalysis:
    """The crawler alone (no checks): parse each page for its links, in this process."""

    workers = 0

    def __init__(self, scope: SiteScope, offscreen_px: float) -> None:
        self.scope = scope
        self.offscreen_px = offscreen_px

    async def start(self) -> None:
        return None

    def submit(self, job: PageJob, deliver: Callable[[Any], None]) -> None:
        url, final, body = job
        facts = parse_page(body, final, is_external=self.scope.is_external,
                           offscreen_px=self.offscreen_px)
        deliver(_LinksOnly(url, facts.links))

    async def aclose(self) -> None:
        return None


class SiteScope:
    """Which URLs belong to the crawled site: its host and subdomains on the same port."""

    def __init__(self, start_url: str) -> None:
        parts = urlsplit(start_url)
        self.scheme = parts.scheme
        self.host = (parts.hostname or "").lower()
        self.port = parts.port
        self.root = self.host[4:] if self.host.startswith("www.") else self.host
        self._netlocs: dict[str, bool] = {}

    def contains(self, url: str) -> bool:
        """Say whether a URL is on the site (crawled) rather than external (only checked)."""
        scheme_sep = url.find("://")
        rest = url[scheme_sep + 3:] if scheme_sep >= 0 else url
        netloc = rest.split("/", 1)[0].split("?", 1)[0]
        known = self._netlocs.get(netloc)
        if known is None:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            try:
                port = parts.port
            except ValueError:
                port = -1
            known = port == self.port and (
                host == self.host or host == self.root or host.endswith("." + self.root))
            self._netlocs[netloc] = known
        return known

    def is_external(self, url: str) -> bool:
        return not self.contains(url)


class Crawler:
    """Crawl a site and check its links.

    Every fetched page goes to `on_fetch` (its body already dropped); every HTML page of the site
    goes to `analysis` and, once read, its outcome to `on_analysis` after its links are queued.
    A page's queue entry is done only when its outcome is in, so the crawl ends when both the
    fetching and the analysis are finished. At most `MAX_PAGES_IN_ANALYSIS` bodies wait.
    """

    MAX_PAGES_IN_ANALYSIS = 128

    def __init__(self, config: CrawlConfig, *, client: HttpClient | None = None,
                 analysis: PageAnalysisBackend | None = None,
                 on_fetch: FetchHandler | None = None,
                 on_analysis: Callable[[Any], None] | None = None,
                 on_progress: ProgressHandler | None = None) -> None:
        self.config = config
        self.scope = SiteScope(config.start_url)
        self.client = client
        if config.timeout is None or config.offscreen_px is None:
            raise ValueError("CrawlConfig.timeout and offscreen_px come from the rule set: "
                             "use inspector.with_rule_values(config, rulebook)")
        self.analysis = analysis or LinksOnlyAnalysis(self.scope, config.offscreen_px)
        self.on_fetch = on_fetch
        self.on_analysis = on_analysis
        self.on_progress = on_progress
        self._analysis_slots = asyncio.Semaphore(self.MAX_PAGES_IN_ANALYSIS)
        self.links: dict[str, LinkStatus] = {}
        self.stylesheets: dict[str, str] = {}  # the site's own stylesheets, read for CC-32
        self.stats = CrawlStats()
        self._seen_pages: set[str] = set()
        self._page_budget_left = config.max_pages
        self._queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._host_slots: dict[str, float] = {}
        self._host_sems: dict[str, asyncio.Semaphore] = {}
        self._external_hosts: dict[str, str] = {}  # host -> "" (may fetch) or why not
        self._resolver_works = False  # some external name resolved: the machine has DNS
        self._unresolved: list[LinkStatus] = []
        self._skipped_nofollow: set[str] = set()
        self._skipped_traditional: set[str] = set()
        self._include_traditional = (config.include_traditional
                                     or self._is_traditional(normalise_url(config.start_url)))

    # --- politeness -------------------------------------------------------------------
    async def _polite_fetch(self, url: str, method: str) -> FetchResult:
        host = urlsplit(url).netloc
        sem = self._host_sems.get(host)
        if sem is None:
            sem = self._host_sems[host] = asyncio.Semaphore(self.config.per_host_concurrency)
        async with sem:
            if self.config.delay > 0:
                now = time.monotonic()
                slot = max(now, self._host_slots.get(host, 0.0))
                self._host_slots[host] = slot + self.config.delay
                if slot > now:
                    await asyncio.sleep(slot - now)
            assert self.client is not None and self.config.timeout is not None
            return await self.client.fetch(url, method=method, timeout=self.config.timeout)

    async def _external_host_verdict(self, url: str) -> str:
        """Say why an external link may not be fetched ("" when it may).

        An external host is resolved first (off the event loop). One outside the allowed
        networks is not contacted. One that does not resolve is decided at the end of the
        crawl: broken when other names resolved (the machine has DNS), otherwise not checked,
        since an offline machine cannot tell a dead domain from a missing network.
        """
        host = urlsplit(url).hostname or ""
        verdict = self._external_hosts.get(host)
        if verdict is None:
            loop = asyncio.get_running_loop()
            addresses = await loop.run_in_executor(None, netguard.resolve, host)
            if not addresses:
                verdict = UNRESOLVED_OFFLINE
            elif not await loop.run_in_executor(None, netguard.host_is_allowed, host):
                verdict = NOT_ALLOWED
            else:
                verdict = ""
            if addresses and netguard.is_dns_name(host):
                self._resolver_works = True
            self._external_hosts[host] = verdict
        return verdict

    def _finish(self) -> None:
        """Decide the unresolved external links and count the pages left out on purpose."""
        self.stats.skipped_nofollow = len(self._skipped_nofollow - self.links.keys())
        self.stats.skipped_traditional = len(self._skipped_traditional)
        for status in self._unresolved:
            if self._resolver_works:
                status.checked = True
                status.error = UNRESOLVED_ERROR
                self.stats.errors += 1
            else:
                status.not_checked_reason = UNRESOLVED_OFFLINE

    def _skips_page(self, link: Link) -> bool:
        """Leave out pages the crawl does not follow: rel=nofollow links and the 繁体 copies."""
        url = link.url
        if not self._include_traditional and self._is_traditional(url):
            self._skipped_traditional.add(url)
            return True
        if link.nofollow:
            self._skipped_nofollow.add(url)
            return True
        return False

    @staticmethod
    def _is_traditional(url: str) -> bool:
        path = urlsplit(url).path
        return path == TRADITIONAL_PREFIX or path.startswith(TRADITIONAL_PREFIX + "/")

    # --- discovery --------------------------------------------------------------------
    def _enqueue_page(self, url: str) -> bool:
        if url in self._seen_pages:
            return True
        if self._page_budget_left <= 0:
            return False
        self._seen_pages.add(url)
        self._page_budget_left -= 1
        self._queue.put_nowait(("page", url))
        self.stats.queued += 1
        return True

    def _note_link(self, page_url: str, link: Link) -> None:
        url = link.url
        status = self.links.get(url)
        if status is None:
            if self.scope.contains(url):
                kind = "attachment" if is_attachment(url) else (
                    "resource" if link.kind == "resource" else "page")
                if kind == "page" and self._skips_page(link):
                    return
            else:
                kind = "external"
            status = self.links[url] = LinkStatus(url=url, kind=kind)
            self._schedule(status)
        status.referrer_count += 1
        if len(status.referrers) < MAX_REFERRERS:
            status.referrers.append((page_url, link.text))

    def _schedule(self, status: LinkStatus) -> None:
        if status.kind == "page":
            if not self._enqueue_page(status.url):
                status.not_checked_reason = "超出页面预算，未抓取"
            return
        if status.kind == "external" and not self.config.check_external:
            status.not_checked_reason = "未启用外部链接检查"
            return
        self._queue.put_nowait(("check", status.url))
        self.stats.queued += 1

    # --- work -------------------------------------------------------------------------
    async def _crawl_page(self, url: str) -> PageJob | None:
        """Fetch a page; return what the analysis needs when it is an HTML page of the site."""
        result = await self._polite_fetch(url, "GET")
        self.stats.pages += 1
        status = self.links.get(url)
        if status is None:
            status = self.links[url] = LinkStatus(url=url, kind="page")
        status.checked = True
        status.status = result.status
        status.error = result.error
        job: PageJob | None = None
        if result.error or result.status >= 400:
            self.stats.errors += 1
        elif "html" in result.content_type.lower() or not result.content_type:
            final = normalise_url(result.final_url or url)
            if self.scope.contains(final):
                job = (url, final, result.body)
        result.body = b""  # the analysis has the body now; the crawl keeps none
        if self.on_fetch is not None:
            self.on_fetch(result)
        return job

    def _analysed(self, outcome: Any) -> None:
        """Take in an analysed page: queue its links, hand it on, finish its queue entry."""
        self._analysis_slots.release()
        try:
            for link in getattr(outcome, "links", ()):
                self._note_link(outcome.url, link)
            if self.on_analysis is not None:
                self.on_analysis(outcome)
        finally:
            self._queue.task_done()

    def _is_own_stylesheet(self, status: LinkStatus) -> bool:
        return (status.kind == "resource" and urlsplit(status.url).path.endswith(".css")
                and self.scope.contains(status.url))

    async def _check(self, url: str) -> None:
        status = self.links[url]
        if status.kind == "external":
            why_not = await self._external_host_verdict(url)
            if why_not == UNRESOLVED_OFFLINE:
                self._unresolved.append(status)
                return
            if why_not:
                status.not_checked_reason = why_not
                return
        if self._is_own_stylesheet(status):
            # the site's own CSS is read for its colours (CC-32), not only checked
            result = await self._polite_fetch(url, "GET")
            if result.ok and len(self.stylesheets) < STYLESHEET_LIMIT:
                self.stylesheets[url] = result.body[:STYLESHEET_BYTES].decode("utf-8", "replace")
        else:
            result = await self._polite_fetch(url, "HEAD")
        if result.status in (405, 501) or (result.error and "超时" not in result.error):
            result = await self._polite_fetch(url, "GET")
        self.stats.checks += 1
        status.checked = True
        status.status = result.status
        status.error = result.error
        if status.broken:
            self.stats.errors += 1

    async def _sitemap(self, url: str, depth: int = 0) -> None:
        result = await self._polite_fetch(url, "GET")
        if not result.ok:
            return
        for raw in SITEMAP_LOC_RE.findall(result.body)[: self.config.max_pages * 2]:
            loc = normalise_url(raw.decode("utf-8", "replace").replace("&amp;", "&"))
            if not self.scope.contains(loc):
                continue
            if loc.endswith(".xml") and depth == 0:
                await self._sitemap(loc, depth + 1)
            elif not is_attachment(loc) and not self._skips_page(Link(loc, "", "a", False)):
                self._enqueue_page(loc)

    async def _worker(self) -> None:
        while True:
            kind, url = await self._queue.get()
            done_later = False
            try:
                if kind == "page":
                    job = await self._crawl_page(url)
                    if job is not None:
                        await self._analysis_slots.acquire()
                        done_later = True  # `_analysed` finishes the entry, maybe right now
                        self.analysis.submit(job, self._analysed)
                elif kind == "check":
                    await self._check(url)
                elif kind == "sitemap":
                    await self._sitemap(url)
            finally:
                if not done_later:
                    self._queue.task_done()

    async def _report_progress(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            if self.on_progress is not None:
                self.on_progress(self.stats, self._queue.qsize())

    async def run(self) -> None:
        """Crawl until the queue is empty; raise TargetNotAllowed for a forbidden start URL."""
        netguard.check_target(self.config.start_url)
        own_client = self.client is None
        if own_client:
            self.client = Http11Client(max_connections=max(self.config.concurrency, 4))
        start = normalise_url(self.config.start_url)
        self.links[start] = LinkStatus(url=start, kind="page", referrers=[], referrer_count=0)
        self._seen_pages.add(start)
        self._page_budget_left -= 1
        self._queue.put_nowait(("page", start))
        if self.config.follow_sitemap:
            root = f"{self.scope.scheme}://{urlsplit(start).netloc}/sitemap.xml"
            self._queue.put_nowait(("sitemap", root))
        tasks: list[asyncio.Task[None]] = []
        try:
            await self.analysis.start()
            tasks = [asyncio.create_task(self._worker()) for _ in range(self.config.concurrency)]
            tasks.append(asyncio.create_task(self._report_progress()))
            await self._queue.join()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.analysis.aclose()
            if own_client and self.client is not None:
                await self.client.aclose()
        self._finish()
        if self.on_progress is not None:
            self.on_progress(self.stats, 0)
