"""Which addresses the inspector and the prober may contact.

`settings.GOVSITES_OUTBOUND_ALLOWED_NETWORKS` lists CIDRs; empty means any address. A host is
allowed only when every address it resolves to is inside the list, so a name that resolves to one
allowed and one forbidden address is refused. `*.localhost` names resolve to loopback (RFC 6761)
without asking the system resolver.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

LOOPBACK_V4 = "127.0.0.1"


class TargetNotAllowed(Exception):
    """The target resolves outside the networks the platform may contact."""


def is_localhost_name(host: str) -> bool:
    """Say whether a host name is `localhost` or under `.localhost` (always loopback)."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def is_dns_name(host: str) -> bool:
    """Say whether resolving a host asks the system resolver (not an address, not localhost)."""
    if is_localhost_name(host):
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return bool(host)
    return False


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Return the configured allowed networks (empty: no restriction)."""
    raw = getattr(settings, "GOVSITES_OUTBOUND_ALLOWED_NETWORKS", []) or []
    return [ipaddress.ip_network(n, strict=False) for n in raw]


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[str, ...]:
    """Return every address a host name resolves to (empty when it does not resolve)."""
    if is_localhost_name(host):
        return (LOOPBACK_V4,)
    try:
        ipaddress.ip_address(host)
        return (host,)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return ()
    return tuple(sorted({str(info[4][0]) for info in infos}))


def host_is_allowed(host: str) -> bool:
    """Say whether every address of `host` lies inside the allowed networks."""
    networks = allowed_networks()
    if not networks:
        return True
    addresses = resolve(host)
    if not addresses:
        return False
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not any(ip in net for net in networks):
            return False
    return True


def check_target(url: str) -> None:
    """Raise TargetNotAllowed (with a Chinese message) unless the URL's host may be contacted."""
    host = urlsplit(url).hostname or ""
    if not host:
        raise TargetNotAllowed(f"无法识别网址“{url}”中的主机名。")
    networks = allowed_networks()
    if not networks:
        return
    addresses = resolve(host)
    if not addresses:
        raise TargetNotAllowed(f"无法解析主机“{host}”，已拒绝访问。")
    if not host_is_allowed(host):
        nets = "、".join(str(n) for n in networks)
        raise TargetNotAllowed(
            f"目标“{host}”解析到 {', '.join(addresses)}，不在允许访问的网络范围（{nets}）内，"
            "已拒绝访问。请在 GOVSITES_OUTBOUND_ALLOWED_NETWORKS 中配置允许的网段。"
        )
