"""The inspector's small HTTP/1.1 client: the framings servers use, and httpx's answers."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from django.test import override_settings

from govsites.monitoring import http11
from govsites.monitoring.http11 import Http11Client, request_target
from govsites.monitoring.httpclient import FetchResult, HttpxClient

Answer = Callable[[bytes, int], Awaitable[bytes | None]]


async def _serve(answer: Answer, requests: list[bytes]) -> asyncio.Server:
    """A raw server: `answer(request_head, nth_on_connection)` gives the bytes to send back
    (None: close without answering); a response without Content-Length ends the connection."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nth = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                requests.append(head)
                reply = await answer(head, nth)
                nth += 1
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if b"content-length" not in reply.lower() and b"chunked" not in reply.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def _fetch_all(answer: Answer, paths: list[str], *, method: str = "GET",
               timeout: float = 5.0) -> tuple[list[FetchResult], list[bytes]]:
    requests: list[bytes] = []

    async def scenario() -> list[FetchResult]:
        server = await _serve(answer, requests)
        port = server.sockets[0].getsockname()[1]
        client = Http11Client(max_connections=2)
        try:
            return [await client.fetch(f"http://127.0.0.1:{port}{path}", method=method,
                                       timeout=timeout) for path in paths]
        finally:
            await client.aclose()
            server.close()
            await server.wait_closed()

    return asyncio.run(scenario()), requests


def _fixed(reply: bytes) -> Answer:
    async def answer(head: bytes, nth: int) -> bytes | None:
        return reply

    return answer


def test_a_chunked_body_is_joined() -> None:
    reply = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
             b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
    [result, again], requests = _fetch_all(_fixed(reply), ["/a", "/b"])
    assert (result.status, result.body, result.content_type) == (200, b"hello world", "text/html")
    assert again.body == b"hello world"
    assert len(requests) == 2


def test_a_body_without_length_is_read_until_the_server_closes() -> None:
    reply = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"
    [result, again], _ = _fetch_all(_fixed(reply), ["/a", "/b"])
    assert result.body == again.body == b"all of it" and not result.error


def test_a_gzipped_body_is_decompressed_although_we_asked_for_identity() -> None:
    packed = gzip.compress("政府网站".encode())
    reply = (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
             + str(len(packed)).encode() + b"\r\n\r\n" + packed)
    [result], requests = _fetch_all(_fixed(reply), ["/"])
    assert result.body.decode() == "政府网站"
    assert b"Accept-Encoding: identity" in requests[0]


def test_a_body_over_the_cap_is_cut_and_its_connection_not_reused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http11, "MAX_BODY_BYTES", 10)
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz"
    [first, second], requests = _fetch_all(_fixed(reply), ["/a", "/b"])
    assert first.body == second.body == b"abcdefghij"
    assert len(requests) == 2


def test_a_keep_alive_connection_the_server_drops_is_retried_once_on_a_new_one() -> None:
    async def answer(head: bytes, nth: int) -> bytes | None:
        if nth == 1:
            return None  # every connection: the server gives up on it as we reuse it
        return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    results, requests = _fetch_all(answer, ["/a", "/b", "/c"])
    assert [r.status for r in results] == [200, 200, 200]
    assert [h.split()[1] for h in requests] == [b"/a", b"/b", b"/b", b"/c", b"/c"]


def test_redirects_are_followed_to_the_final_url() -> None:
    async def answer(head: bytes, nth: int) -> bytes | None:
        if head.startswith(b"GET /old "):
            return b"HTTP/1.1 301 Moved\r\nLocation: new/\r\nContent-Length: 0\r\n\r\n"
        return b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew"

    [result], _ = _fetch_all(answer, ["/old"])
    assert result.final_url.endswith("/new/") and result.body == b"new"


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_a_redirect_out_of_the_allowed_networks_is_not_followed() -> None:
    async def answer(head: bytes, nth: int) -> bytes | None:
        return (b"HTTP/1.1 302 Found\r\nLocation: http://93.184.216.34/x\r\n"
                b"Content-Length: 0\r\n\r\n")

    [result], requests = _fetch_all(answer, ["/out"])
    assert result.status == 302 and result.final_url.endswith("/out") and not result.error
    assert len(requests) == 1


def test_head_reads_no_body_and_keeps_the_connection() -> None:
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: application/pdf\r\n\r\n"
    results, requests = _fetch_all(_fixed(reply), ["/a.pdf", "/b.pdf"], method="HEAD")
    assert [(r.status, r.body) for r in results] == [(200, b""), (200, b"")]
    assert all(h.startswith(b"HEAD ") for h in requests)


def test_a_silent_server_times_out_with_the_reason_in_chinese() -> None:
    async def answer(head: bytes, nth: int) -> bytes | None:
        await asyncio.sleep(5)
        return None

    [result], _ = _fetch_all(answer, ["/"], timeout=0.3)
    assert result.error == "超时（超过 0.3 秒未响应）" and result.status == 0


def test_garbage_instead_of_http_is_an_error_not_a_crash() -> None:
    [result], _ = _fetch_all(_fixed(b"SSH-2.0-OpenSSH\r\n\r\n"), ["/"])
    assert result.error.startswith("HttpProtocolError") and not result.ok


def test_a_refused_connection_is_an_error() -> None:
    async def scenario() -> FetchResult:
        client = Http11Client()
        try:
            return await client.fetch("http://127.0.0.1:9/", timeout=2)
        finally:
            await client.aclose()

    result = asyncio.run(scenario())
    assert result.error and result.status == 0


def test_non_ascii_paths_and_spaces_are_escaped_on_the_request_line() -> None:
    assert request_target("/政策/a b.html", "q=1") == "/%E6%94%BF%E7%AD%96/a%20b.html?q=1"
    assert request_target("/a%20b.html", "") == "/a%20b.html"
    assert request_target("", "") == "/"


@pytest.mark.parametrize("path, method", [
    ("/", "GET"), ("/news/", "GET"), ("/news", "GET"), ("/files/gone.pdf", "GET"),
    ("/news/missing.html", "HEAD"), ("/site-map.html", "HEAD"), ("/no-such-dir/", "GET"),
])
def test_the_small_client_answers_as_httpx_does(fixture_site: dict[str, Any], path: str,
                                                 method: str) -> None:
    url = fixture_site["base"] + path

    async def both() -> tuple[FetchResult, FetchResult]:
        ours, reference = Http11Client(), HttpxClient()
        try:
            return (await ours.fetch(url, method=method),
                    await reference.fetch(url, method=method))
        finally:
            await ours.aclose()
            await reference.aclose()

    ours, reference = asyncio.run(both())
    assert (ours.status, ours.content_type, ours.body, ours.final_url, ours.error) == (
        reference.status, reference.content_type, reference.body, reference.final_url,
        reference.error)
