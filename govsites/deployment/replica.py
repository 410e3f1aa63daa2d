"""Public reads from a PostgreSQL streaming replica, with read-your-writes for everyone else.

With DATABASE_REPLICA_URL set, settings add a "replica" database and this router. A request
reads from the replica only when it cannot be waiting for its own write: an anonymous GET or
HEAD (no session cookie: editors, reviewers and anyone logged in always read the primary)
outside the admin, from a client that has not written in the last
GOVSITES_REPLICA_PIN_SECONDS (any unsafe request sets a short cookie that pins the client to
the primary, covering the replica's lag after a citizen submits a form). Everything else, and
every write, goes to the primary. A replica that does not answer is left alone for a few
seconds and reads go to the primary meanwhile.

Anonymous public requests do write a little (search statistics, open-data use counts, the
CAPTCHA's session), so inside a replica-reading request:
- every write goes to the primary by name, also for a row that was read from the replica
  (Django would otherwise save an object, or create through its related manager, on the
  database it came from: the read-only replica);
- a read inside a transaction on the primary reads the primary: the read-then-write steps
  (get_or_create, which Django already sends to the write database; update-or-insert
  counters under transaction.atomic) never decide on a lagging replica's stale rows.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "govsites_primary"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRIMARY_ONLY_PREFIXES = ("/admin/", "/django-admin/", "/documents/")

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("govsites_use_replica",
                                                                   default=False)
_state = threading.local()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Send reads to the replica inside `reading_from_replica` (the middleware), else primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _use_replica.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS  # never the instance's own database: it may be the replica

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same rows, whichever copy they came from

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None,
                      **hints: Any) -> bool | None:
        return db != REPLICA  # a streaming replica is read-only; it follows the primary


class reading_from_replica:
    """Route this context's reads to the replica (for requests and tests)."""

    def __enter__(self) -> None:
        self._token = _use_replica.set(True)

    def __exit__(self, *exc: object) -> None:
        _use_replica.reset(self._token)


def _retry_seconds() -> float:
    return float(getattr(settings, "GOVSITES_REPLICA_RETRY_SECONDS", 5))


def replica_available() -> bool:
    """Whether the replica answers (checked at most every few seconds after a failure)."""
    down_until = getattr(_state, "down_until", 0.0)
    if time.monotonic() < down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        connections[REPLICA].close()
        if not down_until:
            logger.error("只读副本不可用（%s），读请求改由主库处理", type(exc).__name__)
        _state.down_until = time.monotonic() + _retry_seconds()
        return False
    if down_until:
        logger.warning("只读副本已恢复")
    _state.down_until = 0.0
    return True


def may_read_from_replica(request: HttpRequest) -> bool:
    """Say whether this request's reads may come from the replica (see module docstring)."""
    return (request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PIN_COOKIE not in request.COOKIES
            and not request.path_info.startswith(PRIMARY_ONLY_PREFIXES))


class ReadReplicaMiddleware:
    """Choose the replica for safe anonymous requests; pin writers to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        if may_read_from_replica(request) and replica_available():
            with reading_from_replica():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS:
            pin = int(getattr(settings, "GOVSITES_REPLICA_PIN_SECONDS", 10))
            response.set_cookie(PIN_COOKIE, "1", max_age=pin, httponly=True, samesite="Lax",
                                secure=request.is_secure())
        return response
