"""A small HTTP/1.1 client on asyncio protocols: the inspector's default `HttpClient`.

Why not httpx here: profiling a 5,000-page crawl showed the crawling process spending most of its
time in httpcore, h11 and anyio (pool bookkeeping, cancel scopes, header validation) around one
`send()` and one `recv()` per request. The inspector needs little of HTTP: GET and HEAD, keep-alive
connections, Content-Length, chunked and read-to-close bodies, redirects (followed by hand),
gzip/deflate in case a server ignores `Accept-Encoding: identity`, TLS with certificate checks, a
body cap and a timeout. That fits in this module at a fraction of the cost per request.
`httpclient.HttpxClient` stays as the reference implementation; a test holds both to the same
answers on the fixture site.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
import zlib
from urllib.parse import quote, urljoin, urlsplit

from . import netguard
from .httpclient import MAX_BODY_BYTES, USER_AGENT, FetchResult
from .netguard import LOOPBACK_V4, is_localhost_name

MAX_HEADER_BYTES = 64 * 1024
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_UNSAFE_IN_TARGET = re.compile(r"[^\x21-\x7e]")
_TARGET_SAFE = "/%:@!$&'()*+,;=-._~?"


class HttpProtocolError(Exception):
    """The server's answer is not HTTP/1.x as we can read it."""


class PeerClosed(HttpProtocolError):
    """The server closed the connection before its answer was complete."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection: bytes arrive in `buffer`, readers wait on `_waiter`."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.reusable = True
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.reusable = False
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def more(self) -> None:
        """Wait for more bytes; raise when the peer has closed and nothing more will come."""
        if self.eof:
            raise PeerClosed("服务器在响应完成前关闭了连接")
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def close(self) -> None:
        self.reusable = False
        if self.transport is not None:
            self.transport.close()

    # --- reading one response ----------------------------------------------------------
    async def read_head(self) -> tuple[int, str, dict[str, str]]:
        """Read the status line and headers (skipping 1xx answers)."""
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            while end < 0:
                if len(self.buffer) > MAX_HEADER_BYTES:
                    raise HttpProtocolError("响应头过长")
                await self.more()
                end = self.buffer.find(b"\r\n\r\n")
            head = bytes(self.buffer[:end])
            del self.buffer[:end + 4]
            lines = head.split(b"\r\n")
            parts = lines[0].split(None, 2)
            if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
                raise HttpProtocolError(f"无法识别的响应：{lines[0][:60]!r}")
            status = int(parts[1])
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(b":")
                if not sep:
                    continue
                key = name.strip().lower().decode("latin-1")
                text = _decode_header(value.strip())
                headers[key] = f"{headers[key]}, {text}" if key in headers else text
            if 100 <= status < 200:
                continue  # 100 Continue and friends: the real answer follows
            return status, parts[0].decode("latin-1"), headers

    async def read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            await self.more()
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    async def read_line(self) -> bytes:
        end = self.buffer.find(b"\r\n")
        while end < 0:
            if len(self.buffer) > MAX_HEADER_BYTES:
                raise HttpProtocolError("分块长度行过长")
            await self.more()
            end = self.buffer.find(b"\r\n")
        line = bytes(self.buffer[:end])
        del self.buffer[:end + 2]
        return line

    async def read_body(self, headers: dict[str, str], cap: int) -> bytes:
        """Read a body framed by chunked encoding, Content-Length or the end of the connection.

        Past `cap` bytes the rest is not read and the connection is not reused.
        """
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                line = await self.read_line()
                try:
                    size = int(line.split(b";", 1)[0].strip() or b"x", 16)
                except ValueError:
                    raise HttpProtocolError("分块长度无效") from None
                if size == 0:
                    while await self.read_line():
                        pass  # trailers end with an empty line
                    return b"".join(chunks)
                if total + size > cap:
                    chunks.append(await self.read_exactly(min(size, cap - total)))
                    self.close()
                    return b"".join(chunks)
                chunks.append(await self.read_exactly(size))
                total += size
                if await self.read_line():
                    raise HttpProtocolError("分块数据格式错误")
        length = headers.get("content-length")
        if length is not None:
            try:
                size = int(length.split(",")[0])
            except ValueError:
                raise HttpProtocolError("Content-Length 无效") from None
            if size > cap:
                body = await self.read_exactly(cap)
                self.close()
                return body
            return await self.read_exactly(size)
        while not self.eof and len(self.buffer) <= cap:
            try:
                await self.more()
            except PeerClosed:
                break
        self.reusable = False
        body = bytes(self.buffer[:cap])
        self.close()
        return body


def _decode_header(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _decompress(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, MAX_BODY_BYTES)
        if encoding == "deflate":
            try:
                return zlib.decompressobj().decompress(body, MAX_BODY_BYTES)
            except zlib.error:
                return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, MAX_BODY_BYTES)
    except zlib.error as exc:
        raise HttpProtocolError(f"无法解压响应（{encoding}）：{exc}") from None
    return body


def request_target(path: str, query: str) -> str:
    """The path and query as they go on the request line (non-ASCII and spaces escaped)."""
    target = (path or "/") + (f"?{query}" if query else "")
    if _UNSAFE_IN_TARGET.search(target):
        target = quote(target, safe=_TARGET_SAFE)
    return target


class Http11Client:
    """The inspector's HTTP client: keep-alive pools per origin, redirects followed, bodies capped.

    `*.localhost` hosts go to the loopback address with their own Host header (and SNI), since
    the system resolver may not know them. A redirect to a host outside
    `GOVSITES_OUTBOUND_ALLOWED_NETWORKS` is not followed: the redirect is the answer.
    """

    def __init__(self, *, max_connections: int = 8) -> None:
        self.max_connections = max_connections
        self._idle: dict[tuple[str, str, int, str], list[_Connection]] = {}
        self._ssl: ssl.SSLContext | None = None
        self._slots = asyncio.Semaphore(max_connections)
        self._allowed_hosts: dict[str, bool] = {}

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            try:  # the CA bundle httpx uses, so both clients trust the same sites
                import certifi

                self._ssl = ssl.create_default_context(cafile=certifi.where())
            except ImportError:  # pragma: no cover - certifi comes with httpx
                self._ssl = ssl.create_default_context()
        return self._ssl

    def _may_follow(self, current: str, target: str) -> bool:
        """A redirect to another host is followed only into the allowed networks."""
        host = (urlsplit(target).hostname or "").lower()
        if host == (urlsplit(current).hostname or "").lower():
            return True
        allowed = self._allowed_hosts.get(host)
        if allowed is None:
            allowed = self._allowed_hosts[host] = netguard.host_is_allowed(host)
        return allowed

    async def _connect(self, key: tuple[str, str, int, str]) -> _Connection:
        scheme, address, port, server_name = key
        loop = asyncio.get_running_loop()
        tls = self._ssl_context() if scheme == "https" else None
        _transport, connection = await loop.create_connection(
            _Connection, address, port, ssl=tls, server_hostname=server_name if tls else None)
        return connection

    def _take_idle(self, key: tuple[str, str, int, str]) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if connection.reusable and not connection.eof and not connection.buffer:
                return connection
            connection.close()
        return None

    def _give_back(self, key: tuple[str, str, int, str], connection: _Connection) -> None:
        idle = self._idle.setdefault(key, [])
        if connection.reusable and not connection.eof and len(idle) < self.max_connections:
            idle.append(connection)
        else:
            connection.close()

    async def _one(self, method: str, url: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise HttpProtocolError(f"不支持的协议：{scheme}")
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        address = LOOPBACK_V4 if is_localhost_name(host) and host != "localhost" else host
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" + (f":{parts.port}" if parts.port else "")
        key = (scheme, address, port, host)
        request = (f"{method} {request_target(parts.path, parts.query)} HTTP/1.1\r\n"
                   f"Host: {host_header}\r\nUser-Agent: {USER_AGENT}\r\nAccept: */*\r\n"
                   "Accept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n").encode("ascii")
        for attempt in (0, 1):
            connection = self._take_idle(key)
            reused = connection is not None
            if connection is None:
                connection = await self._connect(key)
            try:
                assert connection.transport is not None
                connection.transport.write(request)
                status, version, headers = await connection.read_head()
                if method == "HEAD" or status in (204, 304):
                    body = b""
                else:
                    body = await connection.read_body(headers, MAX_BODY_BYTES)
            except (PeerClosed, ConnectionError):
                connection.close()
                if reused and attempt == 0:
                    continue  # the server dropped an idle connection as we used it: retry once
                raise
            except BaseException:
                connection.close()  # timed out or cancelled half-way: never reuse
                raise
            persistent = (headers.get("connection", "").lower() != "close"
                          and (version != "HTTP/1.0"
                               or "keep-alive" in headers.get("connection", "").lower()))
            if not persistent:
                connection.close()
            self._give_back(key, connection)
            encoding = headers.get("content-encoding", "")
            if body and encoding and encoding.lower() != "identity":
                body = _decompress(body, encoding)[:MAX_BODY_BYTES]
            return status, headers, body
        raise HttpProtocolError("unreachable")  # pragma: no cover - the loop returns or raises

    async def fetch(self, url: str, *, method: str = "GET", timeout: float = 15.0) -> FetchResult:
        started = time.monotonic()
        current = url
        try:
            async with self._slots, asyncio.timeout(timeout):
                for _ in range(MAX_REDIRECTS + 1):
                    status, headers, body = await self._one(method, current)
                    location = headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        target = urljoin(current, location)
                        if not self._may_follow(current, target):
                            break  # the redirect itself is the answer we can vouch for
                        current = target
                        continue
                    break
        except TimeoutError:
            return FetchResult(url=url, error=f"超时（超过 {timeout:g} 秒未响应）",
                               elapsed=time.monotonic() - started)
        except (OSError, HttpProtocolError, UnicodeError) as exc:
            return FetchResult(url=url, error=f"{type(exc).__name__}: {exc}",
                               elapsed=time.monotonic() - started)
        return FetchResult(url=url, status=status, content_type=headers.get("content-type", ""),
                           body=body, final_url=current, elapsed=time.monotonic() - started)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()
