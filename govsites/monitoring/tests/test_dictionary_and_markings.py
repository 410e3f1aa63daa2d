"""The inspector screens with the admin's dictionary (内容检查词库), falls back to the national
list when it cannot be read, and fails a page carrying a 密级 marking (RS-10)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import InspectionResult, Inspector
from govsites.monitoring.rulebook import Rulebook, load_rulebook
from govsites.screening import selectors as screening_selectors
from govsites.screening.models import Term

from .fakes import FakeHttpClient, FakeResponse

BASE = "http://127.0.0.1:9"
AS_OF = dt.date(2026, 6, 30)
ADMIN_TERM = "示例自定义违规词"


def _inspect(main: str, rulebook: Rulebook) -> InspectionResult:
    home = (f"<html><head><title>示例市人民政府</title></head><body><main>{main}"
            f"<span>{AS_OF.isoformat()}</span></main></body></html>")
    client = FakeHttpClient({BASE + "/": FakeResponse(body=home)})
    inspector = Inspector(CrawlConfig(start_url=BASE + "/", delay=0.0, follow_sitemap=False),
                          rulebook=rulebook, as_of=AS_OF, client=client)
    return asyncio.run(inspector.run())


def test_a_page_carrying_a_classification_marking_fails_the_inspection() -> None:
    result = _inspect("<p>机密★1年</p><p>关于某项工作的通知正文。</p>", load_rulebook(""))
    [finding] = result.findings_for("content.classified")
    assert finding.veto and finding.severity == "veto"
    assert "content.classified" in [reason.rule_id for reason in result.verdict.vetoes]
    assert not result.verdict.passed
    ordinary = _inspect("<p>各单位要严格保守国家秘密，加强内部控制。</p>", load_rulebook(""))
    assert ordinary.findings_for("content.classified") == []


@pytest.mark.django_db
def test_the_inspector_screens_with_the_terms_the_admin_added() -> None:
    page = f"<p>本站提供{ADMIN_TERM}相关服务。</p>"
    assert _inspect(page, load_rulebook()).findings_for("content.spam_injection") == []
    Term.objects.create(text=ADMIN_TERM, category="gambling")
    screening_selectors.ruleset_version_token()  # the dictionary's version moved with the term
    result = _inspect(page, load_rulebook())
    assert [f.evidence for f in result.findings_for("content.spam_injection")] == [ADMIN_TERM]
    assert not any("国家基础词库" in note for note in result.notes)


@pytest.mark.django_db
def test_an_unreadable_dictionary_falls_back_to_the_national_list_and_the_report_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> None:
        raise screening_selectors.DictionaryUnavailable("内容检查词库不可读取，请先运行 govsites migrate")

    monkeypatch.setattr(screening_selectors, "current_screener", unavailable)
    result = _inspect("<p>机密★1年</p>", load_rulebook())
    assert result.findings_for("content.classified")  # the national list still screens
    assert any("govsites migrate" in note and "国家基础词库" in note for note in result.notes)
