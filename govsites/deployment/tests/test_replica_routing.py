"""Which requests read from the replica: anonymous public GETs; never editors or writers."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from govsites.deployment import replica
from govsites.deployment.replica import (
    PIN_COOKIE,
    ReadReplicaMiddleware,
    ReplicaRouter,
    reading_from_replica,
)


@pytest.fixture
def with_replica(monkeypatch: Any) -> list[bool]:
    """A configured, answering replica; returns the routing decision of each request."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_available", lambda: True)
    return []


def _run(decisions: list[bool], request: Any) -> HttpResponse:
    def view(request: Any) -> HttpResponse:
        decisions.append(ReplicaRouter().db_for_read(object) == "replica")
        return HttpResponse("ok")

    return ReadReplicaMiddleware(view)(request)


def test_an_anonymous_public_get_reads_from_the_replica(with_replica: list[bool]) -> None:
    _run(with_replica, RequestFactory().get("/news/"))
    assert with_replica == [True]
    assert ReplicaRouter().db_for_read(object) is None  # only inside the request


@pytest.mark.parametrize("request_kind", ["logged-in", "admin", "post", "pinned"])
def test_editors_the_admin_writers_and_recent_writers_read_the_primary(
        with_replica: list[bool], request_kind: str, settings: Any) -> None:
    factory = RequestFactory()
    request = {
        "logged-in": lambda: factory.get("/news/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x"),
        "admin": lambda: factory.get("/admin/pages/"),
        "post": lambda: factory.post("/interact/submit/"),
        "pinned": lambda: factory.get("/news/", HTTP_COOKIE=f"{PIN_COOKIE}=1"),
    }[request_kind]()
    _run(with_replica, request)
    assert with_replica == [False]


def test_a_write_pins_the_client_to_the_primary_for_a_few_seconds(
        with_replica: list[bool], settings: Any) -> None:
    settings.GOVSITES_REPLICA_PIN_SECONDS = 7
    response = _run(with_replica, RequestFactory().post("/interact/submit/"))
    assert response.cookies[PIN_COOKIE]["max-age"] == 7


def test_an_unanswering_replica_sends_reads_to_the_primary(monkeypatch: Any) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_available", lambda: False)
    decisions: list[bool] = []
    _run(decisions, RequestFactory().get("/news/"))
    assert decisions == [False]


def test_without_a_replica_nothing_is_routed() -> None:
    decisions: list[bool] = []
    _run(decisions, RequestFactory().get("/news/"))
    assert decisions == [False]


def test_the_replica_is_never_migrated_and_writes_always_go_to_the_primary() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "content") is False
    assert router.allow_migrate("default", "content") is None or True
    with reading_from_replica():
        assert router.db_for_write(object) is None
        assert router.db_for_read(object) == "replica"
