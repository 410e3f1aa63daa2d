"""When Redis is down the application keeps serving: cache misses, sessions from the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches

from govsites import testing
from govsites.deployment.cache import DegradingRedisCache

pytestmark = [pytest.mark.django_db, pytest.mark.optional_tool]  # Redis (redis_url fixture)


def _redis_cache(settings: Any, url: str) -> DegradingRedisCache:
    settings.CACHES = {"default": {"BACKEND": "govsites.deployment.cache.DegradingRedisCache",
                                   "LOCATION": url}}
    backend = caches["default"]
    assert isinstance(backend, DegradingRedisCache)
    return backend


def test_with_redis_up_the_cache_stores_and_counts(settings: Any, redis_url: str) -> None:
    cache = _redis_cache(settings, redis_url)
    cache.clear()
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("n", 0, 30) is True
    assert cache.incr("n") == 1 and cache.incr("n") == 2


def test_with_redis_down_every_operation_answers_as_a_miss(
        settings: Any, closed_port_redis_url: str) -> None:
    cache = _redis_cache(settings, closed_port_redis_url)
    cache.set("k", 1, 30)
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is False
    assert cache.incr("counter", 3) == 3  # as on a fresh key: a rate limit lets it through
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a"])
    cache.clear()


def test_after_a_failure_redis_is_left_alone_until_the_retry_time(
        settings: Any, closed_port_redis_url: str) -> None:
    settings.GOVSITES_REDIS_RETRY_SECONDS = 3600
    cache = _redis_cache(settings, closed_port_redis_url)
    assert cache.get("k") is None
    attempts = []
    cache._cache.get = lambda *a, **k: attempts.append(a)  # type: ignore[method-assign]
    assert cache.get("k", "miss") == "miss"
    assert attempts == []


def test_when_redis_returns_the_node_clears_what_may_have_gone_stale(
        settings: Any, redis_url: str) -> None:
    settings.GOVSITES_REDIS_RETRY_SECONDS = 0
    cache = _redis_cache(settings, redis_url)
    cache.clear()
    cache.set("session-before-outage", "old", 300)

    def outage() -> None:
        raise ConnectionError("connection refused")

    assert cache._call(outage, "fallback") == "fallback"  # the node sees Redis fail once
    cache.set("after", "new", 300)  # Redis answers again: the first success clears first
    assert cache.get("session-before-outage") is None
    assert cache.get("after") is None or cache.get("after") == "new"


def test_a_logged_in_editor_stays_logged_in_through_a_redis_outage(
        client: Any, settings: Any, redis_url: str, closed_port_redis_url: str,
        django_user_model: Any) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    _redis_cache(settings, redis_url)
    testing.make_site()
    user = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    testing.login_verified(client, user)
    assert client.get("/admin/").status_code == 200
    _redis_cache(settings, closed_port_redis_url)  # Redis goes away
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated


def test_public_pages_and_the_rate_limited_api_answer_with_redis_down(
        client: Any, settings: Any, closed_port_redis_url: str) -> None:
    _redis_cache(settings, closed_port_redis_url)
    testing.make_site()
    assert client.get("/").status_code == 200
    assert client.get("/search/?q=通知").status_code == 200
