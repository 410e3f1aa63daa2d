"""Per-client rate limit of the data APIs (the window counter is core.ratelimit's); the limit
is the rule parameter `opendata.api.rate_limit_per_minute`."""

from __future__ import annotations

from typing import Any

from govsites import rules
from govsites.core import ratelimit


def seconds_to_wait(request: Any, *, limit: int | None = None) -> int:
    """Count this request; return 0 when allowed, else seconds until the window resets.

    `limit` is the rule's value when the caller has already resolved it."""
    if limit is None:
        limit = int(rules.value("opendata.api.rate_limit_per_minute"))
    return ratelimit.seconds_to_wait(request, scope="opendata", limit=limit)
