"""The embedded mode serves with several processes (`make run`: scripts/serve.sh). Without Redis
they share Django's database cache (settings/base.py): the web server's workers and the task
worker count a client's requests together and see one another's changes. Their SQLite
connections stay open between requests."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory

from govsites.config.settings import base
from govsites.core import ratelimit

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _process_cache() -> DatabaseCache:
    """The cache as one process of the installation builds it from the shipped settings."""
    settings = dict(base.CACHES["default"])
    return DatabaseCache(settings["LOCATION"], settings)


def test_the_shipped_settings_use_the_database_cache_without_redis() -> None:
    if base._redis_url:
        pytest.skip("REDIS_URL is set for this run: the shipped settings use Redis")
    assert base.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_migrate_makes_the_cache_table() -> None:
    assert base.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_two_processes_count_one_client_against_one_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _process_cache(), _process_cache()
    request = RequestFactory().post("/interact/", REMOTE_ADDR="192.0.2.10")
    waits: list[int] = []
    for n in range(6):  # the requests land on the two processes in turn
        monkeypatch.setattr(ratelimit, "cache", first if n % 2 == 0 else second)
        waits.append(ratelimit.seconds_to_wait(request, scope="test.shared", limit=5))
    assert waits[:5] == [0] * 5
    assert waits[5] > 0


def test_a_value_one_process_deletes_is_gone_for_the_other() -> None:
    first, second = _process_cache(), _process_cache()
    first.set("govsites:test:shared", {"a": 1}, 60)
    assert second.get("govsites:test:shared") == {"a": 1}
    second.delete("govsites:test:shared")
    assert first.get("govsites:test:shared") is None


def test_the_shipped_sqlite_settings_keep_connections_open_between_requests() -> None:
    if base.DATABASES["default"]["ENGINE"] != "govsites.core.sqlite":
        pytest.skip("DATABASE_URL names another database for this run")
    assert base.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
