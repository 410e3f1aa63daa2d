"""The client's address: from the proxy's headers only when the request came from a proxy we trust.

nginx (publishing/nginx.py) sets X-Real-IP to the address it saw and appends it to
X-Forwarded-For. Anyone can send those headers, so they count only when the connection itself
comes from a network in GOVSITES_TRUSTED_PROXIES; otherwise the socket's address is the client.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: The request headers only a trusted proxy may set (as WSGI META keys).
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_PROTO",
                 "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in spec)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "GOVSITES_TRUSTED_PROXIES", ())))


def _parse(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: str) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in net for net in trusted_networks())


def client_address(request: Any) -> str:
    """Return the client's IP address as text ("" when there is no request or no address).

    From a trusted proxy: the right-most X-Forwarded-For entry that is not itself a trusted
    proxy (entries further left were written by the client and prove nothing), else X-Real-IP.
    From anyone else: REMOTE_ADDR.
    """
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    parsed_remote = _parse(str(meta.get("REMOTE_ADDR", "")))
    if parsed_remote is None:
        return ""  # e.g. a server on a unix socket with nothing in front to say who it was
    remote = str(parsed_remote)
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [a for a in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    for entry in reversed(forwarded):
        parsed = _parse(entry)
        if parsed is None:
            break  # a malformed hop: stop trusting the chain here
        if not any(parsed in net for net in trusted_networks()):
            return str(parsed)
    real_ip = _parse(str(meta.get("HTTP_X_REAL_IP", "")))
    if real_ip is not None:
        return str(real_ip)
    return remote
