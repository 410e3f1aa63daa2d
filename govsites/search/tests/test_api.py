"""The JSON API (搜索即服务): results per the OpenAPI file, 400s in Chinese and English, limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db
OPENAPI = Path(__file__).resolve().parents[1] / "data" / "openapi.json"


def test_the_api_answers_with_the_documented_fields(library: dict[str, Any], client: Any) -> None:
    response = client.get("/api/v1/search", {"q": "政务公开"})
    assert response.status_code == 200
    body = response.json()
    schema = json.loads(OPENAPI.read_text())["components"]["schemas"]
    assert set(schema["SearchResponse"]["required"]) <= set(body)
    assert set(schema["SearchResult"]["required"]) <= set(body["results"][0])
    assert body["results"][0]["title"] == "关于政务公开工作的通知"
    assert body["results"][0]["url"].startswith("http")


def test_without_site_the_whole_cluster_is_searched(library: dict[str, Any], client: Any) -> None:
    titles = [r["title"] for r in client.get("/api/v1/search", {"q": "工作"}).json()["results"]]
    assert "全市中小学开学工作部署会召开" in titles and "关于政务公开工作的通知" in titles


@pytest.mark.parametrize("attribute", ["domain", "site_code"])
def test_site_accepts_the_domain_or_the_site_code(library: dict[str, Any], client: Any,
                                                   department_site: Any, attribute: str) -> None:
    body = client.get("/api/v1/search",
                      {"q": "工作", "site": getattr(department_site, attribute)}).json()
    assert [r["title"] for r in body["results"]] == ["全市中小学开学工作部署会召开"]


@pytest.mark.parametrize("query", [
    {"q": ""}, {"q": "政务", "page": "x"}, {"q": "政务", "sort": "random"},
    {"q": "政务", "site": "unknown.example"}, {"q": "政" * 101}, {"q": "政务", "page": "0"},
    {"q": "政务", "year": "abc"}, {"q": "政务", "type": "nope"},
])
def test_bad_parameters_get_a_400_in_chinese_and_english(client: Any, query: dict[str, str],
                                                         portal: Any) -> None:
    response = client.get("/api/v1/search", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert error["message_en"].isascii()


def test_too_many_requests_from_one_client_get_a_429(client: Any, portal: Any) -> None:
    cache.clear()  # earlier tests' calls from the same address share the minute's window
    rule_services.set_override(key="search.api.rate_limit_per_minute", value=2,
                               reason="测试", acting_user=None)
    codes = [client.get("/api/v1/search", {"q": "政务"}).status_code for _ in range(3)]
    cache.clear()
    assert codes[:2] == [200, 200] and codes[2] == 429


def test_searches_are_counted_without_personal_data(library: dict[str, Any], client: Any) -> None:
    from govsites.search.models import QueryStat

    client.get("/api/v1/search", {"q": "政务公开"}, REMOTE_ADDR="127.0.0.9")
    stat = QueryStat.objects.get(query="政务公开")
    assert stat.searches == 1
    stored = " ".join(str(v) for v in QueryStat.objects.values().first().values())
    assert "127.0.0.9" not in stored
