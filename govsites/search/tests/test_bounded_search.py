"""A query's work is bounded: very many matches give an estimated total, and title matches
beyond the newest matches still reach the rerank."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.search import analysis, engine, selectors

pytestmark = pytest.mark.django_db


def test_a_query_matching_more_than_the_pool_gets_an_estimated_total(
        library: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    exact = selectors.search("工作")
    assert exact.exact and exact.total == 2
    monkeypatch.setattr(engine, "POOL", 1)
    page = selectors.search("工作")
    assert not page.exact
    assert page.total >= 2
    assert page.pages == 1  # paging reaches no further than the pool
    assert sum(page.facets["item_type"].values()) == page.total


def test_the_api_says_when_the_total_is_an_estimate(
        library: dict[str, Any], client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert client.get("/api/v1/search", {"q": "工作"}).json()["total_exact"] is True
    monkeypatch.setattr(engine, "POOL", 1)
    assert client.get("/api/v1/search", {"q": "工作"}).json()["total_exact"] is False


def test_an_older_title_match_outranks_newer_body_matches(
        library: dict[str, Any], news_column: Any, publish: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):
        publish(testing.make_article, news_column, title=f"第{n}期工作简报",
                body="<p>本期介绍公租房的申请进度。</p>")
    monkeypatch.setattr(engine, "CANDIDATES", 1)
    hits = engine.search(analysis.parse_query("公租房"), engine.Filters(), sort="relevance",
                         limit=10)
    assert hits.head == 2  # the newest match and the newest title match
    assert selectors.search("公租房").results[0].title == "公租房申请指南"
