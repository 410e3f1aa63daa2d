"""A fake twin of the inspector's HTTP client (`httpclient.HttpClient`), for tests only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from govsites.monitoring.httpclient import FetchResult


@dataclass
class FakeResponse:
    status: int = 200
    body: str | bytes = ""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


class FakeHttpClient:
    """A dictionary of canned responses; unknown URLs answer 404. Records every request."""

    def __init__(self, responses: dict[str, FakeResponse] | None = None) -> None:
        self.responses = responses or {}
        self.requests: list[tuple[str, str]] = []

    async def fetch(self, url: str, *, method: str = "GET", timeout: float = 15.0) -> FetchResult:
        self.requests.append((method, url))
        canned = self.responses.get(url)
        if canned is None:
            return FetchResult(url=url, status=404, final_url=url, content_type="text/html")
        if canned.delay:
            if canned.delay >= timeout:
                await asyncio.sleep(0)
                return FetchResult(url=url, error=f"超时（超过 {timeout:g} 秒未响应）",
                                   elapsed=timeout)
            await asyncio.sleep(canned.delay)
        body = canned.body.encode("utf-8") if isinstance(canned.body, str) else canned.body
        return FetchResult(url=url, status=canned.status, content_type=canned.content_type,
                           body=b"" if method == "HEAD" else body, final_url=url,
                           elapsed=canned.delay)

    async def aclose(self) -> None:
        return None
