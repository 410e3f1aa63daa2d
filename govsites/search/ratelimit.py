"""Per-client rate limit of the search API: a fixed one-minute window per client address.

Counts live in Django's cache and are never stored; the address is not kept anywhere else.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache

from govsites.core.clientaddr import client_address

WINDOW_SECONDS = 60
LIMIT_PER_MINUTE = 120


def seconds_to_wait(request: Any) -> int:
    """Count this request; return 0 when allowed, else seconds until the window resets."""
    limit = LIMIT_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"search:rate:{client_address(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now))
