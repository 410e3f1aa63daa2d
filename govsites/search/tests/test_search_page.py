"""The public search page: per site, cluster-wide, 繁体, facets, paging, errors."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_search_page_lists_highlighted_results(library: dict[str, Any], client: Any) -> None:
    response = client.get("/search/", {"q": "政务"}, HTTP_HOST="localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>政务</mark>" in html and "共找到 1 条结果" in html


def test_the_site_search_leaves_out_other_sites(library: dict[str, Any], client: Any) -> None:
    html = client.get("/search/", {"q": "开学"}, HTTP_HOST="localhost").content.decode()
    assert "共找到 0 条结果" in html
    html = client.get("/search/", {"q": "开学", "site": "all"},
                      HTTP_HOST="localhost").content.decode()
    assert "全市中小学" in html


def test_the_traditional_page_is_in_traditional_characters(library: dict[str, Any],
                                                           client: Any) -> None:
    html = client.get("/zh-hant/search/", {"q": "政務"}, HTTP_HOST="localhost").content.decode()
    assert "關於" in html and 'lang="zh-Hant"' in html


def test_a_click_on_a_result_is_counted_and_redirected(library: dict[str, Any],
                                                       client: Any) -> None:
    from govsites.search.models import QueryStat

    client.get("/search/", {"q": "政务"}, HTTP_HOST="localhost")
    response = client.get(f"/search/go/{library['open'].pk}/", {"q": "政务"},
                          HTTP_HOST="localhost")
    assert response.status_code == 302
    assert QueryStat.objects.get(query="政务").clicks == 1


def test_a_bad_parameter_shows_a_chinese_message(portal: Any, client: Any) -> None:
    response = client.get("/search/", {"q": "政务", "sort": "x"}, HTTP_HOST="localhost")
    assert response.status_code == 400 and "参数 sort" in response.content.decode()
