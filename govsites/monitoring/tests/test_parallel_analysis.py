"""Page analysis in worker processes finds what the crawling process finds; failures are named."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from govsites.monitoring.analysis import (
    AnalysisSettings,
    PageAnalysis,
    PooledAnalysis,
    auto_workers,
)
from govsites.monitoring.checks.context import PageContext
from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.findings import (
    InspectionFinding,
    checks,
    make_finding,
    register_temporarily,
)
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.rulebook import load_rulebook

from .sitebuilder import AS_OF


def _run(base: str, workers: int, max_pages: int = 200) -> tuple[Inspector, InspectionResult]:
    config = CrawlConfig(start_url=base + "/", max_pages=max_pages, delay=0.0,
                         per_host_concurrency=4, concurrency=4, analysis_workers=workers)
    inspector = Inspector(config, as_of=AS_OF, rulebook=load_rulebook(""))
    return inspector, asyncio.run(inspector.run())


def _findings(result: InspectionResult) -> list[str]:
    return sorted(json.dumps(f.as_dict(), sort_keys=True, ensure_ascii=False, default=str)
                  for f in result.findings)


def test_worker_processes_find_exactly_what_the_crawling_process_finds(
        fixture_site: dict[str, Any]) -> None:
    _, single = _run(fixture_site["base"], workers=0)
    pooled_inspector, pooled = _run(fixture_site["base"], workers=2)
    assert isinstance(pooled_inspector.analysis, PooledAnalysis)
    assert len(pooled_inspector.analysis.worker_peak_rss_kb) >= 1  # the workers did answer
    assert pooled.notes == single.notes == []
    assert _findings(pooled) == _findings(single)
    assert len(single.findings) > 20  # the fixture site plants a defect of every rule
    assert (pooled.pages_crawled, pooled.links_checked) == (single.pages_crawled,
                                                            single.links_checked)
    assert sorted(s.url for s in pooled.not_checked) == sorted(s.url for s in single.not_checked)
    # the verdict quotes the first finding of a rule, which depends on the order pages arrive
    # in (concurrent fetches, either path); what it decides does not
    for verdict in (pooled.verdict, single.verdict):
        assert verdict.label == single.verdict.label and verdict.score == single.verdict.score
        assert verdict.decided_by == single.verdict.decided_by
        assert [v.rule_id for v in verdict.vetoes] == [v.rule_id for v in single.verdict.vetoes]
    assert pooled.screening_note == single.screening_note == ""


def test_small_crawls_and_machines_under_four_cores_analyse_in_the_crawling_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})
    assert auto_workers(50) == 0
    assert auto_workers(5000) == 4
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1})
    assert auto_workers(5000) == 0


def _explode_on_policy_pages(ctx: PageContext) -> Iterator[InspectionFinding]:
    if "/policy/" in ctx.facts.url:
        raise ValueError("malformed page")
    return iter(())


def test_a_page_whose_analysis_fails_is_named_and_the_crawl_goes_on(
        fixture_site: dict[str, Any]) -> None:
    _, clean = _run(fixture_site["base"], workers=0)
    with register_temporarily("page.demo_explodes", scope="page", func=_explode_on_policy_pages):
        _, result = _run(fixture_site["base"], workers=0)
    assert result.pages_crawled == clean.pages_crawled
    [note] = result.notes
    assert "页面分析出错" in note and "/policy/" in note and "ValueError: malformed page" in note
    assert result.findings_for("column.stale")  # the site checks still ran


def _demo_check(ctx: PageContext) -> Iterator[InspectionFinding]:
    spec = ctx.rulebook.rule("page.meta_missing")
    yield make_finding(spec, url=ctx.facts.url, evidence="demo", message="demo")


def test_a_temporarily_registered_check_runs_only_inside_its_block(
        fixture_site: dict[str, Any]) -> None:
    before = [c.func for c in checks("page")]
    with register_temporarily("page.meta_missing", scope="page", func=_demo_check) as info:
        assert info in checks("page")
        _, result = _run(fixture_site["base"], workers=0, max_pages=3)
        assert len([f for f in result.findings if f.evidence == "demo"]) == 3
        with pytest.raises(RuntimeError, match="already registered"):
            register_temporarily("page.meta_missing", scope="page", func=_demo_check).__enter__()
    assert [c.func for c in checks("page")] == before


def test_a_dead_worker_hands_its_pages_back_to_the_crawling_process(
        fixture_site: dict[str, Any]) -> None:
    home = fixture_site["base"] + "/"
    body = (fixture_site["root"] / "index.html").read_bytes()
    settings = AnalysisSettings(start_url=home, home_url=home, rulebook=load_rulebook(""),
                                as_of=AS_OF)
    delivered: list[Any] = []

    async def scenario() -> PooledAnalysis:
        pool = PooledAnalysis(settings, workers=1)
        await pool.start()
        [worker] = pool._workers
        worker.process.kill()
        await worker.process.wait()
        assert worker.reader is not None
        await worker.reader
        pool.submit((home, home, body), delivered.append)
        await pool.aclose()
        return pool

    pool = asyncio.run(scenario())
    [analysis] = delivered
    assert isinstance(analysis, PageAnalysis) and analysis.home is not None
    assert pool.notes == [PooledAnalysis.WORKER_DIED]
