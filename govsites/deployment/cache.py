"""Redis as the shared cache, degrading to cache misses when Redis is down.

Django's RedisCache raises on every call once Redis is unreachable, which turns an outage of a
cache into an outage of the site. This backend answers a miss instead (get → default, add/set
→ not stored, incr → as on a fresh key) and logs the outage once. After a failure it does not
touch Redis again for GOVSITES_REDIS_RETRY_SECONDS, so requests do not each wait for a
connect timeout. When Redis answers again after an outage, the node clears the cache: entries
written before the outage may be stale (a session saved to the database meanwhile, a site
renamed), and everything in this cache can be recomputed. Sessions use `cached_db`, so they
live on in the database during the outage and nobody loses work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
T = TypeVar("T")
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class DegradingRedisCache(RedisCache):
    """RedisCache that answers misses while Redis is unreachable (see the module docstring)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a request must not wait seconds for a cache.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    @staticmethod
    def retry_seconds() -> float:
        return float(getattr(settings, "GOVSITES_REDIS_RETRY_SECONDS", 5))

    def reachable(self) -> bool:
        """Ping Redis now (the readiness probe), whatever the breaker says."""
        try:
            self._cache.get_client(write=False).ping()
        except OUTAGE_ERRORS:
            return False
        return True

    def _call(self, operation: Callable[[], T], fallback: T) -> T:
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = operation()
        except OUTAGE_ERRORS as exc:
            with self._lock:
                if self._down_since is None:
                    self._down_since = time.monotonic()
                    logger.error("Redis 不可用（%s）：缓存暂按未命中处理，会话改由数据库保存", exc)
                self._retry_at = time.monotonic() + self.retry_seconds()
            return fallback
        if self._down_since is not None:
            self._recovered()
        return result

    def _recovered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            seconds = time.monotonic() - self._down_since
            self._down_since = None
        try:
            super().clear()
        except OUTAGE_ERRORS:
            return
        logger.warning("Redis 已恢复（中断约 %.0f 秒），已清空可能过期的缓存", seconds)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).add(
            key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(lambda: super(DegradingRedisCache, self).get(key, default, version),
                          default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        self._call(lambda: super(DegradingRedisCache, self).set(key, value, timeout, version),
                   None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT,
              version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).touch(key, timeout, version),
                          False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._call(lambda: super(DegradingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(DegradingRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call(lambda: super(DegradingRedisCache, self).incr(key, delta, version),
                          delta)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        return self._call(lambda: super(DegradingRedisCache, self).set_many(
            data, timeout, version), [])

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call(lambda: super(DegradingRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._call(lambda: super(DegradingRedisCache, self).clear(), None)
