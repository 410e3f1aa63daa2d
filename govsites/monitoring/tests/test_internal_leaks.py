"""The inspector reports published internal documents and 处置预案 (RS-15, 亳州 第10条（三）) as
serious findings of their own check, not as a 泄露国家秘密 veto."""

from __future__ import annotations

import asyncio
import datetime as dt

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.rulebook import load_rulebook

from .fakes import FakeHttpClient, FakeResponse

BASE = "http://127.0.0.1:9"
AS_OF = dt.date(2026, 6, 30)


def _inspect(main: str) -> InspectionResult:
    home = (f"<html><head><title>示例市人民政府</title></head><body><main>{main}"
            f"<span>{AS_OF.isoformat()}</span></main></body></html>")
    client = FakeHttpClient({BASE + "/": FakeResponse(body=home)})
    inspector = Inspector(CrawlConfig(start_url=BASE + "/", delay=0.0, follow_sitemap=False),
                          rulebook=load_rulebook(""), as_of=AS_OF, client=client)
    return asyncio.run(inspector.run())


def test_a_published_internal_plan_is_a_serious_finding_of_the_internal_leak_check() -> None:
    result = _inspect("<h1>示例市群体性事件处置预案</h1><p>本预案内部掌握，不得外传。</p>")
    [finding] = result.findings_for("content.internal_leak")
    assert finding.severity == "serious" and not finding.veto
    assert finding.extra["screening_rule"] == "secret.internal_plan"
    assert result.findings_for("content.classified") == []
    assert "content.internal_leak" not in [reason.rule_id for reason in result.verdict.vetoes]


def test_a_plan_carrying_a_staff_contact_list_is_reported_and_an_ordinary_page_is_not() -> None:
    contacts = "".join(f"<li>成员{i}：13{i}12345678</li>" for i in (7, 8, 9))
    result = _inspect(f"<h1>示例县防汛抢险处置预案</h1><ul>{contacts}</ul>")
    assert [f.extra["screening_rule"] for f in result.findings_for("content.internal_leak")] \
        == ["secret.internal_plan"]
    ordinary = _inspect("<p>各地要完善应急预案，加强内部管理。</p>")
    assert ordinary.findings_for("content.internal_leak") == []


def test_a_page_saying_not_to_circulate_it_is_an_internal_document() -> None:
    result = _inspect("<h1>情况通报</h1><p>本通报仅限内部传阅。</p>")
    assert [(f.extra["screening_rule"], f.evidence)
            for f in result.findings_for("content.internal_leak")] == [
        ("secret.restricted_distribution", "仅限内部")]
