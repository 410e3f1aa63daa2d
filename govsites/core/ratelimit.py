"""Per-client rate limits of the public APIs: a fixed one-minute window per client address.

Counts live in Django's cache, shared by every process of the installation (Redis in
production, the database cache without it) and are never stored elsewhere; the address is not
kept. (On the database cache two processes counting the same client in the same instant may
count it once: incr there is a read and a write.)
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache

from govsites.core.clientaddr import client_address

WINDOW_SECONDS = 60


def seconds_to_wait(request: Any, *, scope: str, limit: int) -> int:
    """Count this request against `limit` calls a minute in `scope`; return 0 when allowed,
    else the seconds until the window resets. A limit of 0 or less means no limit."""
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"{scope}:rate:{client_address(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now))
