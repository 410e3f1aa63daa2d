"""The load balancer's probes: liveness needs nothing, readiness tells what this node lacks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_answers_for_any_host_over_plain_http_without_touching_the_database(
        client: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get("/_govsites/health", HTTP_HOST="10.0.0.11")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_ready_when_the_database_answers_and_the_tree_exists(client: Any,
                                                              publish_root: Any) -> None:
    publish_root.mkdir()
    response = client.get("/_govsites/ready", HTTP_HOST="10.0.0.11")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert {c["name"] for c in body["checks"]} >= {"database", "published_tree", "cache"}


def test_not_ready_without_a_published_tree(client: Any) -> None:
    response = client.get("/_govsites/ready", HTTP_HOST="10.0.0.11")
    assert response.status_code == 503
    failed = [c["name"] for c in json.loads(response.content)["checks"] if not c["ok"]]
    assert failed == ["published_tree"]


def test_not_ready_when_the_database_does_not_answer(client: Any, publish_root: Any,
                                                     monkeypatch: Any) -> None:
    from django.db import connections

    publish_root.mkdir()
    connection = connections["default"]

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's transaction stays
    response = client.get("/_govsites/ready", HTTP_HOST="10.0.0.11")
    assert response.status_code == 503
    checks = {c["name"]: c for c in json.loads(response.content)["checks"]}
    assert checks["database"]["ok"] is False
    assert checks["database"]["detail"] == "OperationalError"


def test_a_redis_outage_makes_the_node_degraded_not_unready(
        client: Any, publish_root: Any, settings: Any, closed_port_redis_url: str) -> None:
    publish_root.mkdir()
    settings.CACHES = {"default": {"BACKEND": "govsites.deployment.cache.DegradingRedisCache",
                                   "LOCATION": closed_port_redis_url}}
    response = client.get("/_govsites/ready", HTTP_HOST="10.0.0.11")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert [c["name"] for c in body["checks"] if not c["ok"]] == ["cache"]
