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
    assert router.allow_migrate("default", "content") is not False
    with reading_from_replica():
        assert router.db_for_write(object) == "default"
        assert router.db_for_read(object) == "replica"


def test_a_row_read_from_the_replica_is_written_to_the_primary() -> None:
    """Django writes an object back to the database it came from unless a router names one:
    an anonymous request that saves a row it read would write to the read-only replica."""
    from django.db.utils import ConnectionRouter

    from govsites.search.models import QueryStat

    stat = QueryStat(query="办事指南")
    stat._state.db = "replica"
    router = ConnectionRouter([ReplicaRouter()])
    with reading_from_replica():
        assert router.db_for_write(QueryStat, instance=stat) == "default"


@pytest.mark.django_db
def test_a_save_of_a_row_read_from_the_replica_reaches_the_primary() -> None:
    from django.test import override_settings

    from govsites.search.models import QueryStat

    QueryStat.objects.create(day="2026-12-01", site_id_or_zero=0, query="社保", searches=1)
    stat = QueryStat.objects.get(query="社保")
    stat._state.db = "replica"  # as if the anonymous request had read it from the replica
    stat.searches = 2
    with override_settings(DATABASE_ROUTERS=[ReplicaRouter()]), reading_from_replica():
        stat.save()  # no "replica" database here: a write routed to it would raise
    assert QueryStat.objects.get(query="社保").searches == 2


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_read_the_primary() -> None:
    """Read-then-write steps (update-or-insert counters, get_or_create) run in a transaction
    on the primary; a lagging replica must not answer their reads. (The test itself runs in
    such a transaction; outside one the first test shows the replica is used.)"""
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(object) is None
