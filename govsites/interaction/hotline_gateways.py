"""How a message reaches the 12345 政务服务便民热线: a pluggable gateway (IA-09).

`GOVSITES_HOTLINE_GATEWAY` names a class with `forward(*, message) -> HotlineReceipt` that
raises `HotlineUnavailable` (or anything) when the message did not arrive; the forward is then
retried by the task worker. Shipped gateways:

- `ConsoleHotlineGateway` (the default): writes the push to the log, personal data masked;
- `FileHotlineGateway`: appends one JSON line per push to `GOVSITES_HOTLINE_FILE`
  (development; personal data masked) and answers with a development ticket number;
- `HttpHotlineGateway`: POSTs JSON to `GOVSITES_HOTLINE_URL` with the bearer token
  `GOVSITES_HOTLINE_TOKEN`, only when the URL's host resolves inside
  `GOVSITES_HOTLINE_ALLOWED_NETWORKS` (empty refuses every address), without following
  redirects; the hotline answers `{"ticket_number": "…"}` (the number may also come later).

The HTTP body carries the writer's name and mobile: the hotline calls the writer back, which
is what 同步处理 means. Nothing else (logs, files, audit) ever holds them unmasked.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from govsites.core.notifications import mask_personal_data
from govsites.monitoring.netguard import resolve

logger = logging.getLogger(__name__)

DEFAULT_GATEWAY = "govsites.interaction.hotline_gateways.ConsoleHotlineGateway"
TIMEOUT_SECONDS = 10


class HotlineUnavailable(Exception):
    """The hotline did not take the message (network, refusal, bad answer); try again later."""


@dataclass(frozen=True)
class HotlineMessage:
    """What the hotline is sent about one message."""

    query_code: str
    site: str
    mailbox: str
    organisation: str
    kind: str
    subject: str
    content: str
    writer_name: str
    writer_mobile: str
    received_at: str
    reply_due: str

    def masked(self) -> dict[str, str]:
        """The message as logs and files may hold it: personal data masked."""
        data = asdict(self)
        data["writer_name"] = (self.writer_name[:1] + "*") if self.writer_name else ""
        data["writer_mobile"] = mask_personal_data(self.writer_mobile)
        data["subject"] = mask_personal_data(self.subject)
        data["content"] = mask_personal_data(self.content)
        return data


@dataclass(frozen=True)
class HotlineReceipt:
    """The hotline's answer to a push: its ticket number, when it gave one."""

    ticket_number: str = ""


@runtime_checkable
class HotlineGateway(Protocol):
    def forward(self, *, message: HotlineMessage) -> HotlineReceipt: ...


class ConsoleHotlineGateway:
    """Development default: log the push (masked); no ticket number comes back."""

    def forward(self, *, message: HotlineMessage) -> HotlineReceipt:
        logger.info("12345 hotline push: %s", json.dumps(message.masked(), ensure_ascii=False))
        return HotlineReceipt()


class FileHotlineGateway:
    """Development: one JSON line per push in `GOVSITES_HOTLINE_FILE` (masked), ticket DEV-…."""

    def forward(self, *, message: HotlineMessage) -> HotlineReceipt:
        path = Path(getattr(settings, "GOVSITES_HOTLINE_FILE", "")
                    or Path(settings.DATA_DIR) / "hotline" / "pushes.jsonl")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(message.masked(), ensure_ascii=False) + "\n")
        return HotlineReceipt(ticket_number=f"DEV-{message.query_code}")


def _allowed(host: str) -> bool:
    networks = [ipaddress.ip_network(n, strict=False)
                for n in getattr(settings, "GOVSITES_HOTLINE_ALLOWED_NETWORKS", []) or []]
    addresses = resolve(host)
    if not networks or not addresses:
        return False
    return all(any(ipaddress.ip_address(a.split("%", 1)[0]) in net for net in networks)
               for a in addresses)


class HttpHotlineGateway:
    """POST the message as JSON to the hotline's interface (allowed networks only)."""

    def forward(self, *, message: HotlineMessage) -> HotlineReceipt:
        url = str(getattr(settings, "GOVSITES_HOTLINE_URL", "") or "")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured("GOVSITES_HOTLINE_URL 未设置或不是 http(s) 地址。")
        if not _allowed(parts.hostname):
            raise HotlineUnavailable(
                f"12345热线接口地址“{parts.hostname}”不在 GOVSITES_HOTLINE_ALLOWED_NETWORKS "
                "允许的网段内，未推送。")
        connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                            else http.client.HTTPConnection)
        connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
        body = json.dumps(asdict(message), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = str(getattr(settings, "GOVSITES_HOTLINE_TOKEN", "") or "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            connection.request("POST", parts.path or "/", body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read(64 * 1024)
        except (OSError, http.client.HTTPException) as exc:
            raise HotlineUnavailable(f"12345热线接口无法连接：{exc.__class__.__name__}") from exc
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            raise HotlineUnavailable(f"12345热线接口返回 HTTP {response.status}。")
        try:
            answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HotlineUnavailable("12345热线接口的答复不是 JSON。") from exc
        ticket = str(answer.get("ticket_number", "") if isinstance(answer, dict) else "")
        return HotlineReceipt(ticket_number=ticket.strip()[:40])


def hotline_gateway() -> HotlineGateway:
    """An instance of the gateway named by `GOVSITES_HOTLINE_GATEWAY`."""
    path = getattr(settings, "GOVSITES_HOTLINE_GATEWAY", "") or DEFAULT_GATEWAY
    gateway = import_string(path)()
    if not isinstance(gateway, HotlineGateway):
        raise ImproperlyConfigured(
            f"GOVSITES_HOTLINE_GATEWAY {path!r} has no forward(*, message)")
    return gateway
