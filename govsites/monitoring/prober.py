"""The uptime prober: fetch a site's home page with the national 15 s timeout.

A site whose address lies outside `GOVSITES_OUTBOUND_ALLOWED_NETWORKS` is not contacted: the probe
is recorded as skipped, never as a failure. Sites served at `*.localhost` (the demo) are probed
at their Wagtail hostname and port; registered sites at their public domain.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from . import netguard
from .httpclient import LOOPBACK_V4, USER_AGENT, _routed

DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True)
class ProbeResult:
    url: str
    outcome: str  # "ok" | "failed" | "skipped"
    status_code: int | None = None
    elapsed_ms: int | None = None
    error: str = ""


def probe_url(profile: Any) -> str:
    """Return the address to probe for a registered site."""
    site = profile.site
    if netguard.is_localhost_name(site.hostname):
        port = f":{site.port}" if site.port not in (80, None) else ""
        return f"http://{site.hostname}{port}/"
    scheme = getattr(settings, "GOVSITES_PUBLIC_SCHEME", "https")
    return f"{scheme}://{profile.domain}/"


def probe(url: str, *, timeout: float = DEFAULT_TIMEOUT,
          transport: httpx.BaseTransport | None = None) -> ProbeResult:
    """Fetch the URL once; a probe fails on an error status or no answer within the timeout."""
    try:
        netguard.check_target(url)
    except netguard.TargetNotAllowed as exc:
        return ProbeResult(url=url, outcome="skipped", error=str(exc)[:300])
    target, headers = _routed(url)
    started = time.monotonic()
    try:
        with httpx.Client(transport=transport, timeout=timeout, follow_redirects=True,
                          trust_env=False, headers={"User-Agent": USER_AGENT}) as client:
            response = client.get(target, headers=headers)
    except httpx.HTTPError as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        error = (f"超时（超过 {timeout:g} 秒未响应）" if isinstance(exc, httpx.TimeoutException)
                 else f"{type(exc).__name__}: {exc}")
        return ProbeResult(url=url, outcome="failed", elapsed_ms=elapsed, error=error[:300])
    elapsed = int((time.monotonic() - started) * 1000)
    ok = response.status_code < 400 and elapsed <= timeout * 1000
    return ProbeResult(url=url, outcome="ok" if ok else "failed",
                       status_code=response.status_code, elapsed_ms=elapsed,
                       error="" if ok else f"HTTP {response.status_code}")


__all__ = ["LOOPBACK_V4", "ProbeResult", "probe", "probe_url"]
