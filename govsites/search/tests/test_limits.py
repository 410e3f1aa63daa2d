"""The search limits are rule parameters (PA-13): national defaults, changed per cluster or site."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from govsites import rules
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters() -> Iterator[None]:
    """Other tests' calls from the same test address share the minute's window."""
    cache.clear()
    yield
    cache.clear()


def test_the_national_defaults_are_declared_in_the_registry() -> None:
    national = rules.from_files()
    assert national.value("search.api.rate_limit_per_minute") == 120
    assert national.value("search.query.max_length") == 100
    assert national.origin("search.query.max_length").origin == "national"


def test_a_site_override_changes_the_search_rate_limit(client: Any, portal: Any,
                                                       department_site: Any) -> None:
    rule_services.set_override(key="search.api.rate_limit_per_minute", value=2, site=department_site,
                               reason="接口压力测试期间限流", acting_user=None)
    on_department = [client.get("/api/v1/search", {"q": "政务"}, HTTP_HOST="jyj.localhost")
                     for _ in range(3)]
    assert [r.status_code for r in on_department] == [200, 200, 429]
    assert int(on_department[2]["Retry-After"]) >= 1
    # The portal keeps the national 120 a minute for the same client.
    assert client.get("/api/v1/search", {"q": "政务"}).status_code == 200


def test_a_cluster_override_changes_the_query_length_limit(client: Any, portal: Any) -> None:
    rule_services.set_override(key="search.query.max_length", value=10, reason="试行较短的搜索词",
                               acting_user=None)
    assert client.get("/api/v1/search", {"q": "政" * 10}).status_code == 200
    refused = client.get("/api/v1/search", {"q": "政" * 11})
    assert refused.status_code == 400
    assert "10" in refused.json()["error"]["message"] and refused.json()["error"]["parameter"] == "q"
    page = client.get("/search/", {"q": "政" * 11})
    assert page.status_code == 400 and "搜索词不能超过 10 个字" in page.content.decode()
    assert 'maxlength="10"' in page.content.decode()  # the box stops typing at the limit


def test_a_limit_of_zero_lets_every_call_through(client: Any, portal: Any) -> None:
    rule_services.set_override(key="search.api.rate_limit_per_minute", value=0,
                               reason="内网部署，不限次数", acting_user=None)
    codes = {client.get("/api/v1/search", {"q": "政务"}).status_code for _ in range(5)}
    assert codes == {200}


def test_a_limit_that_is_not_a_number_is_refused_and_nothing_changes(portal: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rule_services.set_override(key="search.query.max_length", value="很多", reason="误填",
                                   acting_user=None)
    assert rules.value("search.query.max_length") == 100
