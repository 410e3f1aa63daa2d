"""CC-33 on a library item: the review chain's item rules read its title, summary and body text
(the body as a reader sees it, without its markup)."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.content.item_checks import item_findings
from govsites.screening import current_screener

pytestmark = pytest.mark.django_db


def test_title_summary_and_body_text_are_checked_for_language_usage(news_column: Any) -> None:
    item = testing.make_article(
        news_column, title="关于拓宽道路3公尺的通知", summary="各单位,请配合",
        body='<p>施工时间为２０２６年<a href="https://www.gov.cn/">详见</a>。</p>')
    found = {(f.location, f.rule_id, f.evidence) for f in item_findings(item, current_screener())}
    assert found == {("title", "usage.unit", "公尺"), ("summary", "usage.punctuation", ","),
                     ("body", "usage.number", "２０２６")}


def test_an_item_written_to_the_norms_has_no_usage_findings(news_column: Any) -> None:
    item = testing.make_article(news_column, title="关于拓宽道路3米的通知",
                                body="<p>施工时间为2026年6月。</p>")
    assert item_findings(item, current_screener()) == []
