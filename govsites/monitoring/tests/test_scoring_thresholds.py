"""Scoring per the 2019 检查指标: count vetoes at their boundaries, deductions capped, rule data variants."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.inspector import Inspector
from govsites.monitoring.rulebook import RulebookError, load_rulebook
from govsites.monitoring.scoring import score


def _findings(rule_id: str, n: int, **extra: object) -> list[InspectionFinding]:
    return [InspectionFinding(rule_id=rule_id, url=f"http://127.0.0.1/c{i}/", evidence="",
                              severity="serious", veto=False, message="", extra=dict(extra))
            for i in range(n)]


def test_four_stale_columns_do_not_veto_but_five_do() -> None:
    book = load_rulebook("")
    four = score(_findings("column.stale", 4, kind="typed"), book)
    five = score(_findings("column.stale", 5, kind="typed"), book)
    assert four.label != "单项否决"
    assert five.label == "单项否决" and five.decided_by == "column.stale"
    assert "5 个" in five.decided_because


def test_nine_long_unupdated_columns_do_not_veto_but_ten_do() -> None:
    book = load_rulebook("")
    assert score(_findings("column.stale", 9, kind="long"), book).label != "单项否决"
    assert score(_findings("column.stale", 10, kind="long"), book).decided_by == "column.stale"


def test_four_blank_columns_do_not_veto_but_five_do() -> None:
    book = load_rulebook("")
    assert score(_findings("column.empty", 4), book).label != "单项否决"
    assert score(_findings("column.empty", 5), book).decided_by == "column.empty"


def test_uptime_failure_share_vetoes_at_five_percent_not_below() -> None:
    book = load_rulebook("")
    assert score([], book, uptime_share=0.0499).passed
    verdict = score([], book, uptime_share=0.05)
    assert verdict.decided_by == "site.unavailable"


def test_deductions_never_exceed_the_indicator_points() -> None:
    book = load_rulebook("")
    verdict = score(_findings("link.broken", 1000), book)
    availability = next(d for d in verdict.deductions if d.indicator_id == "availability")
    assert availability.points == availability.cap == 10
    assert verdict.score == 90
    assert verdict.provisional


def test_a_score_below_sixty_fails_and_names_the_heaviest_indicator() -> None:
    book = load_rulebook("")
    findings = (_findings("link.broken", 100) + _findings("column.stale", 4, kind="typed")
                + _findings("column.empty", 4) + _findings("page.identity_missing", 20)
                + _findings("interpretation.unlinked", 20) + _findings("link.commercial", 9))
    verdict = score(findings, book)
    assert verdict.score == 100 - 10 - 16 - 10 - 10 - 5
    assert verdict.label == "不合格" and verdict.decided_by == "score:updates"


def test_a_province_variant_overrides_only_what_it_names(tmp_path: Path) -> None:
    variant = tmp_path / "tighter.json"
    variant.write_text(json.dumps({"name": "tighter", "values": {
        "column.stale.veto_count": {"value": 3, "article": "第1条"}}}), encoding="utf-8")
    book = load_rulebook(str(variant))
    assert book.rule("column.stale").param("veto_count") == 3
    assert book.rule("column.stale").param("max_age_days_by_type")["工作动态"] == 14
    assert score(_findings("column.stale", 3, kind="typed"), book).decided_by == "column.stale"


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(RulebookError, match="不存在"):
        load_rulebook("no-such-province")


def test_every_national_rule_carries_an_evidence_label_and_a_source() -> None:
    book = load_rulebook("")
    for spec in book.rules.values():
        assert spec.evidence in {"[P]", "[S]", "[G]", "[R]", "[?]"}
        assert spec.source
    assert book.raw["deductions"]["evidence"] == "[?]" and book.deductions_provisional


def test_a_home_page_that_does_not_answer_in_time_is_reported_unavailable() -> None:
    """A real server on loopback that accepts and never answers, and the inspector's own
    HTTP client: the evidence is the client's timeout message, not a fake's canned text."""

    async def scenario() -> Any:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read()  # read until the client gives up; never answer
            writer.close()

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        try:
            inspector = Inspector(CrawlConfig(start_url=url, delay=0.0, timeout=0.5,
                                              follow_sitemap=False),
                                  rulebook=load_rulebook(""))
            return await inspector.run()
        finally:
            server.close()

    result = asyncio.run(scenario())
    [finding] = result.findings_for("site.unavailable")
    assert "超时" in finding.evidence and "0.5" in finding.evidence
    assert [f.rule_id for f in result.findings] == ["site.unavailable"]
