"""Run an inspection: crawl, run every registered check, score, and return one result.

`inspect_site()` is what the `inspect` command, the re-check service and the benchmark call.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from . import checks as _checks  # noqa: F401 - registers the checks
from .analysis import (
    AnalysisSettings,
    PageAnalysis,
    PageAnalysisFailed,
    auto_workers,
    make_analysis,
)
from .checks.context import ContentPage, SiteContext
from .crawler import TRADITIONAL_PREFIX, CrawlConfig, Crawler, LinkStatus, ProgressHandler
from .findings import InspectionFinding, checks
from .httpclient import FetchResult, HttpClient
from .pageparse import PageFacts, normalise_url
from .roles import ColumnSummary
from .rulebook import Rulebook, load_rulebook
from .scoring import Verdict, score
from .screen import dictionary_screener


@dataclass
class InspectionResult:
    """Everything one inspection found, ready for the JSON, HTML and PDF reports."""

    target: str
    as_of: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime
    elapsed_seconds: float
    pages_crawled: int
    links_checked: int
    findings: list[InspectionFinding]
    verdict: Verdict
    not_checked: list[LinkStatus]
    rulebook_name: str
    screening_note: str = ""
    platform: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages_crawled / self.elapsed_seconds if self.elapsed_seconds else 0.0

    def findings_for(self, rule_id: str) -> list[InspectionFinding]:
        return [f for f in self.findings if f.rule_id == rule_id]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target, "as_of": self.as_of.isoformat(),
            "started_at": self.started_at.isoformat(), "finished_at": self.finished_at.isoformat(),
            "elapsed_seconds": round(self.elapsed_seconds, 3), "pages_crawled": self.pages_crawled,
            "pages_per_second": round(self.pages_per_second, 1),
            "links_checked": self.links_checked, "rulebook": self.rulebook_name,
            "verdict": self.verdict.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
            "not_checked": [{"url": s.url, "kind": s.kind, "reason": s.not_checked_reason,
                             "referrers": s.referrers[:3]} for s in self.not_checked],
            "screening_note": self.screening_note, "platform": self.platform, "notes": self.notes,
        }


class Inspector:
    """Collect page findings as pages are analysed, then run the site checks and score.

    Pages are parsed and page-checked by `analysis` (in worker processes when
    `config.analysis_workers` > 0); this process keeps only what the site checks need.
    """

    def __init__(self, config: CrawlConfig, *, rulebook: Rulebook | None = None,
                 as_of: dt.date | None = None, client: HttpClient | None = None,
                 screener: Any | None = None, on_progress: ProgressHandler | None = None,
                 home_url: str | None = None) -> None:
        self.rulebook = rulebook or load_rulebook()
        self.config = config = with_rule_values(config, self.rulebook)
        self.as_of = as_of or timezone.localdate()
        self.start_url = normalise_url(config.start_url)
        self.home_url = normalise_url(home_url) if home_url else self.start_url
        self.dictionary_note = ""
        dictionary = None
        if screener is None and not self.rulebook.files_only:
            # the admin's dictionary, handed to worker processes as its plain rules
            dictionary, self.dictionary_note = dictionary_screener()
        self.analysis = make_analysis(
            AnalysisSettings(start_url=config.start_url, home_url=self.home_url,
                             rulebook=self.rulebook, as_of=self.as_of,
                             offscreen_px=config.offscreen_px, screener=dictionary),
            workers=config.analysis_workers, screener=screener)
        self.crawler = Crawler(config, client=client, analysis=self.analysis,
                               on_fetch=self._on_fetch, on_analysis=self._on_analysis,
                               on_progress=on_progress)
        self.findings: list[InspectionFinding] = []
        self.home: PageFacts | None = None
        self.start_result: FetchResult | None = None
        self.columns: dict[str, ColumnSummary] = {}
        self.content_pages: dict[str, ContentPage] = {}
        self.failed_pages: list[PageAnalysisFailed] = []
        self.slow_pages: list[tuple[str, float]] = []
        self._slow_after = float(self.rulebook.rule("page.load").param("max_seconds"))
        self._column_keys: dict[tuple[str, str], str] = {}

    def _on_fetch(self, result: FetchResult) -> None:
        if result.url == self.start_url:
            self.start_result = result
        if (result.elapsed > self._slow_after and not result.error and result.status < 400
                and "html" in result.content_type.lower()):
            self.slow_pages.append((result.url, result.elapsed))

    def _on_analysis(self, analysis: PageAnalysis | PageAnalysisFailed) -> None:
        if isinstance(analysis, PageAnalysisFailed):
            self.failed_pages.append(analysis)
            return
        self.findings.extend(analysis.findings)
        if analysis.home is not None:
            self.home = analysis.home
        visit = analysis.column
        if visit is not None:
            key = visit.key
            if visit.named:
                # paginated list pages (list1.html, ?page=2) are one column: its name says so
                netloc = key.split("/", 3)[2]
                key = self._column_keys.setdefault((netloc, visit.name), key)
            column = self.columns.get(key)
            if column is None:
                column = self.columns[key] = ColumnSummary(key, visit.name, visit.column_type,
                                                           visit.level, url=visit.url,
                                                           layout=visit.layout)
            newest = visit.newest_list_date
            if newest and (column.newest_list_date is None or newest > column.newest_list_date):
                column.newest_list_date = newest
            if len(visit.url) < len(column.url):  # report /tzgg/ rather than /tzgg/index_2.html
                column.url = visit.url
            column.says_empty = column.says_empty or visit.says_empty
            column.main_link_urls.update(visit.main_link_urls)
            column.pages += 1
        elif analysis.content is not None:
            self.content_pages[analysis.content.url] = analysis.content

    def _notes(self) -> list[str]:
        notes = list(getattr(self.analysis, "notes", []))
        if self.dictionary_note:
            notes.append(self.dictionary_note)
        stats = self.crawler.stats
        if stats.skipped_nofollow:
            notes.append(f"未跟随标有 rel=nofollow 的站内链接 {stats.skipped_nofollow} 个"
                         "（如阅读模式切换），不占页面预算")
        if stats.skipped_traditional:
            notes.append(f"未抓取繁体页面（{TRADITIONAL_PREFIX}/ 下的副本）{stats.skipped_traditional} 个；"
                         "需要时请选择“包含繁体页面”（命令行 --include-traditional）")
        if self.failed_pages:
            shown = "；".join(f"{f.url}（{f.error}）" for f in self.failed_pages[:5])
            notes.append(f"{len(self.failed_pages)} 个页面分析出错，未做页面检查：{shown}")
        return notes

    async def run(self) -> InspectionResult:
        """Crawl and check the site; raise netguard.TargetNotAllowed for a forbidden target."""
        started = timezone.now()
        await self.crawler.run()
        site = SiteContext(
            start_url=self.start_url, start_result=self.start_result, home=self.home,
            columns=self.columns, content_pages=self.content_pages, links=self.crawler.links,
            scope=self.crawler.scope, rulebook=self.rulebook, as_of=self.as_of,
            slow_pages=self.slow_pages, stylesheets=self.crawler.stylesheets,
        )
        if self.start_result is not None and not self.start_result.ok:
            site_checks = [c for c in checks("site") if c.rule_id in ("site.unavailable",)]
        else:
            site_checks = checks("site")
        for check in site_checks:
            self.findings.extend(check.func(site))
        finished = timezone.now()
        not_checked = [s for s in self.crawler.links.values() if s.not_checked_reason]
        return InspectionResult(
            target=self.start_url, as_of=self.as_of, started_at=started, finished_at=finished,
            elapsed_seconds=self.crawler.stats.elapsed(), pages_crawled=self.crawler.stats.pages,
            links_checked=self.crawler.stats.checks, findings=self.findings,
            verdict=score(self.findings, self.rulebook), not_checked=not_checked,
            rulebook_name=self.rulebook.name,
            screening_note=self.analysis.screening_note, notes=self._notes(),
        )


def with_rule_values(config: CrawlConfig, rulebook: Rulebook) -> CrawlConfig:
    """The configuration with what it leaves to the rule set filled in from the rulebook: the
    link timeout (link.broken.timeout_seconds, PA-05) and the hidden-link distance
    (content.spam_injection.offscreen_px, RS-13); values set on the configuration win."""
    import dataclasses

    return dataclasses.replace(
        config,
        timeout=(config.timeout if config.timeout is not None
                 else float(rulebook.values["link.broken.timeout_seconds"])),
        offscreen_px=(config.offscreen_px if config.offscreen_px is not None
                      else float(rulebook.values["content.spam_injection.offscreen_px"])))


def crawl_config(url: str, *, max_pages: int = 500, per_host_concurrency: int | None = None,
                 delay: float | None = None, concurrency: int | None = None,
                 analysis_workers: int | None = None,
                 include_traditional: bool = False) -> CrawlConfig:
    """Build a crawl configuration from settings defaults (polite unless told otherwise).

    Analysis workers: the argument, else `GOVSITES_INSPECT_ANALYSIS_WORKERS`, else one per core
    but one for crawls of 200 pages or more (`analysis.auto_workers`).
    """
    from django.conf import settings

    if analysis_workers is None:
        configured = getattr(settings, "GOVSITES_INSPECT_ANALYSIS_WORKERS", None)
        analysis_workers = int(configured) if configured is not None else auto_workers(max_pages)
    return CrawlConfig(
        start_url=url, max_pages=max_pages, analysis_workers=analysis_workers,
        include_traditional=include_traditional,
        per_host_concurrency=per_host_concurrency if per_host_concurrency is not None else int(
            getattr(settings, "GOVSITES_INSPECT_PER_HOST_CONCURRENCY", 2)),
        delay=delay if delay is not None else float(
            getattr(settings, "GOVSITES_INSPECT_DELAY_SECONDS", 0.5)),
        concurrency=concurrency or int(getattr(settings, "GOVSITES_INSPECT_CONCURRENCY", 16)),
    )


def inspect_site(config: CrawlConfig, **kwargs: Any) -> InspectionResult:
    """Run one inspection synchronously (for commands, services and tests)."""
    return asyncio.run(Inspector(config, **kwargs).run())
