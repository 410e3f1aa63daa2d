"""The inspector's HTTP client behind a Protocol (the fake twin tests use is in monitoring/tests/fakes.py).

The real client is httpx's AsyncClient with keep-alive pools. `*.localhost` hosts are sent to the
loopback address with the original Host header, since the system resolver may not know them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from .netguard import LOOPBACK_V4, is_localhost_name

MAX_BODY_BYTES = 5 * 1024 * 1024
USER_AGENT = "govsites-inspector/1.0 (site monitoring; +https://github.com/govsites)"


@dataclass
class FetchResult:
    """What one request returned; `error` is set when no HTTP answer arrived."""

    url: str
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    final_url: str = ""
    error: str = ""
    elapsed: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 400


class HttpClient(Protocol):
    """Fetch a URL (GET with the body, or HEAD without it)."""

    async def fetch(self, url: str, *, method: str = "GET", timeout: float = 15.0) -> FetchResult:
        ...

    async def aclose(self) -> None:
        ...


def _routed(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not is_localhost_name(host) or host == "localhost":
        return url, {}
    netloc = LOOPBACK_V4 + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), {"Host": parts.netloc}


class HttpxClient:
    """The real client: httpx's connection-pooling transport, redirects followed, bodies capped.

    It drives `httpx.AsyncHTTPTransport` directly: the client layer (cookies, auth, event
    hooks) costs a third of the throughput on a fast local site and the inspector needs none of
    it. Redirects (at most 5) are followed here.
    """

    MAX_REDIRECTS = 5

    def __init__(self, *, max_connections: int = 8) -> None:
        self._transport = httpx.AsyncHTTPTransport(
            verify=True, trust_env=False,
            limits=httpx.Limits(max_connections=max_connections,
                                max_keepalive_connections=max_connections),
        )
        self._headers = [(b"User-Agent", USER_AGENT.encode()), (b"Accept-Encoding", b"identity")]

    async def _one(self, method: str, url: str, timeout: float) -> httpx.Response:
        target, extra = _routed(url)
        headers = list(self._headers)
        if extra:
            headers.append((b"Host", extra["Host"].encode("idna") if not extra["Host"].isascii()
                            else extra["Host"].encode()))
        request = httpx.Request(method, target, headers=headers,
                                extensions={"timeout": {"connect": timeout, "read": timeout,
                                                        "write": timeout, "pool": timeout}})
        response = await self._transport.handle_async_request(request)
        try:
            if method != "HEAD":
                await response.aread()
        finally:
            await response.aclose()
        return response

    async def fetch(self, url: str, *, method: str = "GET", timeout: float = 15.0) -> FetchResult:
        started = time.monotonic()
        current = url
        try:
            async with asyncio.timeout(timeout + 1):
                for _ in range(self.MAX_REDIRECTS + 1):
                    response = await self._one(method, current, timeout)
                    location = response.headers.get("location")
                    if response.status_code in (301, 302, 303, 307, 308) and location:
                        current = urljoin(current, location)
                        continue
                    break
        except (httpx.HTTPError, TimeoutError, OSError) as exc:
            if isinstance(exc, TimeoutError | httpx.TimeoutException):
                message = f"超时（超过 {timeout:g} 秒未响应）"
            else:
                message = f"{type(exc).__name__}: {exc}"
            return FetchResult(url=url, error=message, elapsed=time.monotonic() - started)
        body = b""
        if method != "HEAD":
            body = response.content[:MAX_BODY_BYTES]
        return FetchResult(
            url=url, status=response.status_code,
            content_type=response.headers.get("content-type", ""), body=body,
            final_url=current, elapsed=time.monotonic() - started,
        )

    async def aclose(self) -> None:
        await self._transport.aclose()
