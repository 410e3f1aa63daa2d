"""Liveness and readiness answers for the load balancer, before any other middleware.

`/_govsites/health` says the process answers (no database, no cache: a node whose database is
down must not be restarted in a loop for it). `/_govsites/ready` says whether this node should
get traffic: the primary database answers and the published tree is there. Redis and the
replica are reported but never make a node unready, since the application degrades without
them (cache misses; reads from the primary).

First in MIDDLEWARE, so the probe needs no registered Host name and is never redirected to
HTTPS: load balancers probe by address, over plain HTTP, on the private network.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/_govsites/health"
READY_PATH = "/_govsites/ready"

Handler = Callable[[HttpRequest], HttpResponse]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    required: bool
    detail: str
    milliseconds: float


def _timed(name: str, required: bool, probe: Callable[[], str]) -> Check:
    start = time.perf_counter()
    try:
        detail, ok = probe(), True
    except Exception as exc:  # any failure of a dependency is the answer, not an error
        detail, ok = type(exc).__name__, False
    return Check(name, ok, required, detail, round((time.perf_counter() - start) * 1000, 1))


def _database(alias: str) -> Callable[[], str]:
    def probe() -> str:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            connection.close()  # the next request reconnects instead of reusing a dead socket
            raise
        return str(connection.vendor)
    return probe


def _cache() -> str:
    from .cache import DegradingRedisCache

    backend = caches["default"]
    if isinstance(backend, DegradingRedisCache) and not backend.reachable():
        raise ConnectionError("redis unreachable")
    backend.get("govsites:ready-probe")
    return type(backend).__name__


def _published_tree() -> str:
    from govsites.publishing.paths import publish_root

    root = publish_root()
    if not root.is_dir():
        raise FileNotFoundError(str(root))
    return str(sum(1 for _ in root.iterdir())) + " sites"


def readiness() -> list[Check]:
    """Check what this node needs to serve traffic (required) and what it can do without."""
    checks = [_timed("database", True, _database("default")),
              _timed("published_tree", True, _published_tree),
              _timed("cache", False, _cache)]
    if "replica" in settings.DATABASES:
        checks.append(_timed("replica", False, _database("replica")))
    return checks


class HealthCheckMiddleware:
    """Answer the load balancer's two probes; pass everything else on."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return _json({"status": "ok"}, 200)
        if request.path_info == READY_PATH:
            checks = readiness()
            ready = all(c.ok for c in checks if c.required)
            degraded = not all(c.ok for c in checks)
            status = "ready" if ready and not degraded else "degraded" if ready else "unready"
            return _json({"status": status, "checks": [asdict(c) for c in checks]},
                         200 if ready else 503)
        return self.get_response(request)


def _json(payload: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                            content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
