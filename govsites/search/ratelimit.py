"""Per-client rate limit of the search API (the window counter is core.ratelimit's)."""

from __future__ import annotations

from typing import Any

from govsites.core import ratelimit

LIMIT_PER_MINUTE = 120


def seconds_to_wait(request: Any) -> int:
    """Count this request; return 0 when allowed, else seconds until the window resets."""
    return ratelimit.seconds_to_wait(request, scope="search", limit=LIMIT_PER_MINUTE)
