"""The API answers per its OpenAPI file: real responses validated against the served schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from jsonschema import Draft202012Validator, ValidationError

from govsites.core import openapi
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db
PATH = "/api/v1/search"


def served_spec(client: Any) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def check_against_spec(spec: dict[str, Any], response: Any) -> dict[str, Any]:
    """Fail unless the status is documented for the search path and the body fits its schema."""
    documented = spec["paths"][PATH]["get"]["responses"]
    assert str(response.status_code) in documented, f"undocumented status {response.status_code}"
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    body: dict[str, Any] = response.json()
    Draft202012Validator({**schema, "components": spec["components"]}).validate(body)
    for header in documented[str(response.status_code)].get("headers", {}):
        assert response.has_header(header), f"{header} is documented but missing"
    return body


def test_one_file_describes_the_data_and_the_search_apis(client: Any, portal: Any) -> None:
    spec = served_spec(client)
    assert spec["openapi"].startswith("3.1")
    assert {PATH, "/api/v1/datasets", "/api/v1/datasets/{id}/rows"} <= set(spec["paths"])
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_the_former_search_address_redirects_to_the_one_file(client: Any, portal: Any) -> None:
    response = client.get("/api/v1/search/openapi.json")
    assert response.status_code == 301 and response["Location"] == "/api/v1/openapi.json"


@pytest.mark.parametrize("query", [
    {"q": "政务公开"},
    {"q": "工作", "sort": "date", "page_size": "1"},
    {"q": "梅市府办函[2021]236号"},
    {"q": "政務公開", "site": "all"},
    {"q": "工作", "site": "jyj.shili.gov.cn", "type": "articlepage"},
    {"q": "工作", "year": "2026", "column": "工作动态"},
    {"q": "政务 潜水艇"},  # only some words match: relaxed results
    {"q": "潜水艇"},  # nothing found: suggestions and popular searches
    {"q": "工作", "page": "9"},  # past the last page
])
def test_results_fit_the_documented_schema(library: dict[str, Any], client: Any,
                                           query: dict[str, str]) -> None:
    spec = served_spec(client)
    body = check_against_spec(spec, client.get(PATH, query))
    for result in body["results"]:
        if result["published_at"] is not None:
            dt.datetime.fromisoformat(result["published_at"])


def test_a_found_item_is_documented_field_by_field(library: dict[str, Any], client: Any) -> None:
    body = check_against_spec(served_spec(client), client.get(PATH, {"q": "政务公开"}))
    first = body["results"][0]
    assert first["title"] == "关于政务公开工作的通知" and first["type"] == "articlepage"
    assert body["facets"]["item_type"]["articlepage"] >= 1


@pytest.mark.parametrize("query", [
    {}, {"q": "政务", "page": "x"}, {"q": "政务", "sort": "random"}, {"q": "政" * 101},
    {"q": "政务", "site": "unknown.example"}, {"q": "政务", "validity": "forever"},
])
def test_errors_fit_the_documented_schema(client: Any, portal: Any, query: dict[str, str]
                                          ) -> None:
    response = client.get(PATH, query)
    assert response.status_code == 400
    check_against_spec(served_spec(client), response)


def test_the_429_fits_the_documented_schema(client: Any, portal: Any) -> None:
    cache.clear()
    rule_services.set_override(key="search.api.rate_limit_per_minute", value=1,
                               reason="测试", acting_user=None)
    client.get(PATH, {"q": "政务"})
    response = client.get(PATH, {"q": "政务"})
    cache.clear()
    assert response.status_code == 429
    check_against_spec(served_spec(client), response)


def test_an_undocumented_field_fails_the_check(library: dict[str, Any], client: Any) -> None:
    spec = served_spec(client)
    schema = spec["paths"][PATH]["get"]["responses"]["200"]["content"]["application/json"]
    body = client.get(PATH, {"q": "政务公开"}).json()
    body["results"][0]["secret"] = "x"
    with pytest.raises(ValidationError):
        Draft202012Validator({**schema["schema"], "components": spec["components"]}).validate(body)


def test_two_apps_describing_one_path_are_refused() -> None:
    doc = {"paths": {PATH: {"get": {}}}, "components": {"schemas": {}}}
    with pytest.raises(openapi.OpenAPIConflict):
        openapi.merge([doc, doc | {"components": {"schemas": {}}}])
    clash = [{"components": {"schemas": {"Error": {"type": "string"}}}},
             {"components": {"schemas": {"Error": {"type": "object"}}}}]
    with pytest.raises(openapi.OpenAPIConflict):
        openapi.merge(clash)
