"""Per-client rate limit of the search API (the window counter is core.ratelimit's); the limit
is the rule parameter `search.api.rate_limit_per_minute` of the site answering the request
(national default, city variant, cluster or site override)."""

from __future__ import annotations

from typing import Any

from govsites import rules
from govsites.core import ratelimit


def limit_for(request: Any) -> int:
    """The calls a minute one client may make to the search API on this request's site."""
    from govsites.sites.selectors import profile_for_request

    return int(rules.value("search.api.rate_limit_per_minute", site=profile_for_request(request)))


def seconds_to_wait(request: Any) -> int:
    """Count this request; return 0 when allowed, else seconds until the window resets."""
    return ratelimit.seconds_to_wait(request, scope="search", limit=limit_for(request))
