"""Read a fetched page and run the page checks: in the crawling process or in worker processes.

The crawler's event loop should only do I/O. Parsing a page (selectolax), classifying it and
running every page check (screening included) is most of the CPU a crawl needs, so on a machine
with cores to spare the work goes to worker processes in batches and the loop keeps fetching. Both paths run the same `PageAnalyser.analyse()`, so they find the same things.

What comes back is small: the page's links (for the crawl), its findings, and the little the
site-level checks need (a column visit, a content page, the home page's facts). Page bodies and
texts stay in the worker.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import pickle
import struct
import sys
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks as _checks  # noqa: F401 - registers the checks (in workers too)
from .checks.context import ContentPage, PageContext
from .crawler import SiteScope
from .findings import InspectionFinding, checks
from .pageparse import Link, PageFacts, parse_page
from .roles import classify, column_key
from .rulebook import Rulebook
from .screen import PageScreen

# (requested URL, final URL after redirects, body)
PageJob = tuple[str, str, bytes]
Delivery = Callable[["PageAnalysis | PageAnalysisFailed"], None]

BATCH_SIZE = 16
BATCH_LINGER_SECONDS = 0.003
AUTO_WORKERS_MIN_PAGES = 200
AUTO_WORKERS_MIN_CORES = 4


@dataclass(slots=True)
class ColumnVisit:
    """One list page of a column, as the column summary needs it."""

    key: str
    url: str
    name: str
    column_type: str
    level: int
    named: bool  # the page carries a ColumnName tag (paginated pages of it are one column)
    newest_list_date: dt.date | None
    says_empty: bool
    main_link_urls: list[str]
    layout: str = ""


@dataclass(slots=True)
class PageAnalysis:
    """What one page yields: its links, its findings, and what the site checks need of it."""

    url: str  # the URL requested (the referrer of the page's links)
    links: list[Link]
    findings: list[InspectionFinding]
    column: ColumnVisit | None = None
    content: ContentPage | None = None
    home: PageFacts | None = None


@dataclass(slots=True)
class PageAnalysisFailed:
    """A page the analysis raised on: the crawl goes on and the report says which page."""

    url: str
    error: str


@dataclass(frozen=True)
class AnalysisSettings:
    """What a worker needs to analyse pages exactly as the crawling process would."""

    start_url: str
    home_url: str
    rulebook: Rulebook
    as_of: dt.date
    offscreen_px: float | None = None  # None: the rulebook's content.spam_injection.offscreen_px
    #: the Screener to use (it pickles as its plain rules: a worker compiles its own copy);
    #: None for the screening library's national list
    screener: Any = None


class PageAnalyser:
    """Per-process state (scope, screener, page checks), built once and reused for every page."""

    def __init__(self, settings: AnalysisSettings, *, screener: Any | None = None) -> None:
        self.settings = settings
        self.scope = SiteScope(settings.start_url)
        self.screen = PageScreen(settings.rulebook,
                                 screener if screener is not None else settings.screener)
        self.page_checks = checks("page")

    @property
    def screening_note(self) -> str:
        return "" if self.screen.available else self.screen.unavailable_reason

    def analyse(self, url: str, final_url: str, body: bytes) -> PageAnalysis:
        """Parse one page, run every page check on it and keep what the site checks need."""
        settings = self.settings
        is_home = url == settings.home_url
        facts = parse_page(body, final_url, is_external=self.scope.is_external,
                           offscreen_px=_offscreen_px(settings), collect_css=is_home)
        role = classify(facts, is_start=is_home, rulebook=settings.rulebook)
        ctx = PageContext(facts, role, self.scope, settings.rulebook, settings.as_of, self.screen)
        findings: list[InspectionFinding] = []
        for check in self.page_checks:
            findings.extend(check.func(ctx))
        analysis = PageAnalysis(url=url, links=facts.links, findings=findings)
        if is_home:
            analysis.home = dataclasses.replace(facts, links=[], text="", main_text="",
                                                footer_text="")
        if role.kind == "column":
            analysis.column = ColumnVisit(
                key=column_key(facts.url), url=facts.url, name=role.column_name, column_type=role.column_type,
                level=role.level, named=bool(facts.meta.get("ColumnName")),
                newest_list_date=next((d for d in facts.list_dates if d <= settings.as_of), None),
                says_empty=facts.says_empty, main_link_urls=facts.main_link_urls,
                layout=facts.layout,
            )
        elif role.kind == "content":
            interpretation = role.column_type == "政策解读" or "解读" in facts.title
            analysis.content = ContentPage(
                url=facts.url, column_type=role.column_type, column_name=role.column_name,
                pub_date=role.pub_date, title=facts.meta.get("ArticleTitle") or facts.title,
                is_interpretation=interpretation, is_policy=role.column_type == "政策文件",
                layout=facts.layout,
                main_links=[(link.url, link.text) for link in facts.links
                            if link.kind == "a" and not link.in_chrome] if interpretation else [],
            )
        return analysis

    def analyse_or_fail(self, url: str, final_url: str, body: bytes
                        ) -> PageAnalysis | PageAnalysisFailed:
        try:
            return self.analyse(url, final_url, body)
        except Exception as exc:  # one odd page must not stop the inspection
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return PageAnalysisFailed(
                url, f"{type(exc).__name__}: {exc} ({os.path.basename(where.filename)}:{where.lineno})")


class LocalAnalysis:
    """Analyse each page at once in the crawling process (small crawls, re-checks, tests)."""

    workers = 0
    notes: list[str] = []

    async def start(self) -> None:
        return None

    def __init__(self, settings: AnalysisSettings, *, screener: Any | None = None) -> None:
        self.analyser = PageAnalyser(settings, screener=screener)

    @property
    def screening_note(self) -> str:
        return self.analyser.screening_note

    def submit(self, job: PageJob, deliver: Delivery) -> None:
        deliver(self.analyser.analyse_or_fail(*job))

    async def aclose(self) -> None:
        return None


# --- worker processes ----------------------------------------------------------------------
# A worker is `python -m govsites.monitoring.analysis_worker`, spoken to over its stdin and
# stdout with length-prefixed pickles: first the AnalysisSettings, then batches of PageJobs, each
# answered by (analyses, screening note, pid, peak RSS in KiB). asyncio subprocess pipes keep the
# event loop free of the threads and blocking pipe writes a ProcessPoolExecutor brings.
_HEADER = struct.Struct("!I")


def _offscreen_px(settings: AnalysisSettings) -> float:
    """How far off screen a link counts as hidden: the settings' value, else the rulebook's."""
    if settings.offscreen_px is not None:
        return float(settings.offscreen_px)
    return float(settings.rulebook.values["content.spam_injection.offscreen_px"])


def frame(payload: Any) -> bytes:
    """Pickle one message and put its length in front."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM: since its exec, unlike ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def analyse_batch(analyser: PageAnalyser, jobs: list[PageJob]) -> tuple[Any, ...]:
    """What a worker answers for one batch."""
    analyses = [analyser.analyse_or_fail(*job) for job in jobs]
    return analyses, analyser.screening_note, os.getpid(), peak_rss_kb()


@dataclass
class _Batch:
    jobs: list[PageJob] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


@dataclass
class _Worker:
    process: asyncio.subprocess.Process
    in_flight: deque[_Batch] = field(default_factory=deque)
    reader: asyncio.Task[None] | None = None
    alive: bool = True


class PooledAnalysis:
    """Analyse pages in worker processes, `BATCH_SIZE` pages per message.

    A batch leaves when it is full or `BATCH_LINGER_SECONDS` after its first page, so a slow
    crawl is not held up, and goes to the worker with the fewest batches in flight. Each worker
    builds its screener once. Should a worker die, its batches and the rest of the crawl are
    analysed in this process and the report says so.
    """

    WORKER_DIED = "页面分析子进程意外退出，其余页面改在主进程中分析"

    def __init__(self, settings: AnalysisSettings, *, workers: int,
                 batch_size: int = BATCH_SIZE, linger: float = BATCH_LINGER_SECONDS) -> None:
        self.workers = workers
        self.settings = settings
        self.batch_size = batch_size
        self.linger = linger
        self.screening_note = ""
        self.notes: list[str] = []
        self.worker_peak_rss_kb: dict[int, int] = {}  # by worker pid, as last reported
        self._workers: list[_Worker] = []
        self._local: PageAnalyser | None = None
        self._batch = _Batch()
        self._timer: asyncio.TimerHandle | None = None
        self._closing = False

    async def start(self) -> None:
        """Start the workers (they load their screener while the crawl begins)."""
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
        hello = frame(self.settings)
        for _ in range(self.workers):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "govsites.monitoring.analysis_worker",
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env)
            assert process.stdin is not None
            process.stdin.write(hello)
            worker = _Worker(process)
            worker.reader = asyncio.create_task(self._read(worker))
            self._workers.append(worker)

    def submit(self, job: PageJob, deliver: Delivery) -> None:
        self._batch.jobs.append(job)
        self._batch.deliveries.append(deliver)
        if len(self._batch.jobs) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.linger, self._flush)

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, _Batch()
        if not batch.jobs:
            return
        alive = [w for w in self._workers if w.alive]
        if not alive:
            self._analyse_here(batch)
            return
        worker = min(alive, key=lambda w: len(w.in_flight))
        worker.in_flight.append(batch)
        assert worker.process.stdin is not None
        worker.process.stdin.write(frame(batch.jobs))

    async def _read(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        try:
            while True:
                header = await stdout.readexactly(_HEADER.size)
                answer = pickle.loads(await stdout.readexactly(_HEADER.unpack(header)[0]))
                analyses, note, pid, rss_kb = answer
                self.worker_peak_rss_kb[pid] = rss_kb
                self.screening_note = note
                batch = worker.in_flight.popleft()
                for deliver, analysis in zip(batch.deliveries, analyses, strict=True):
                    deliver(analysis)
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError):
            worker.alive = False
            if not self._closing and self.WORKER_DIED not in self.notes:
                self.notes.append(self.WORKER_DIED)
            while worker.in_flight:
                self._analyse_here(worker.in_flight.popleft())

    def _analyse_here(self, batch: _Batch) -> None:
        if self._local is None:
            self._local = PageAnalyser(self.settings)
        for job, deliver in zip(batch.jobs, batch.deliveries, strict=True):
            deliver(self._local.analyse_or_fail(*job))
        self.screening_note = self._local.screening_note

    async def aclose(self) -> None:
        """Flush the last batch, then end the workers (closing stdin ends them)."""
        self._flush()
        self._closing = True
        for worker in self._workers:
            if worker.process.stdin is not None and not worker.process.stdin.is_closing():
                worker.process.stdin.close()
        for worker in self._workers:
            try:
                await asyncio.wait_for(worker.process.wait(), timeout=10)
            except TimeoutError:
                worker.process.kill()
                await worker.process.wait()
            if worker.reader is not None:
                await asyncio.gather(worker.reader, return_exceptions=True)
        self._workers = []


def auto_workers(max_pages: int) -> int:
    """Workers for a crawl: none for small crawls or below four cores, else one per core but one.

    Measured on a 2-core machine, one worker made a 20,000-page crawl slower (1,640 vs 1,930
    pages/s idle, 680 vs 980 with two CPU hogs beside it): once the small HTTP client made fetching
    cheap, the analysis is most of the CPU and shipping pages between processes only adds to it.
    With more cores than the crawl and the analysis need, workers add throughput instead.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if max_pages < AUTO_WORKERS_MIN_PAGES or cores < AUTO_WORKERS_MIN_CORES:
        return 0
    return min(4, cores - 1)


def make_analysis(settings: AnalysisSettings, *, workers: int,
                  screener: Any | None = None) -> LocalAnalysis | PooledAnalysis:
    """In-process analysis for `workers == 0` or a caller-supplied screener, else a pool."""
    if workers <= 0 or screener is not None:
        return LocalAnalysis(settings, screener=screener)
    return PooledAnalysis(settings, workers=workers)
