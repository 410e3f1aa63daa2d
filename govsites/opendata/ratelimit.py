"""Per-client rate limit of the data APIs: a fixed one-minute window per client address.

Counts live in Django's cache (Redis in production, shared by every process; local memory in
the embedded mode). The limit is the rule parameter `opendata.api.rate_limit_per_minute`.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache

from govsites import rules
from govsites.core.clientaddr import client_address

WINDOW_SECONDS = 60


def seconds_to_wait(request: Any) -> int:
    """Count this request; return 0 when allowed, else seconds until the window resets."""
    limit = int(rules.value("opendata.api.rate_limit_per_minute"))
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"opendata:rate:{client_address(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now))
