"""Links: pull them out of HTML and plain text, and tell government hosts from commercial ones."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .rules import DomainRule


@dataclass(frozen=True)
class Link:
    """One outbound reference: the URL as written (resolved when a base URL was given).

    text: the link text a reader sees (for <a>), empty for iframes and bare URLs.
    source: where it came from: "a", "area", "iframe", "text" (a bare URL in text) or "pdf".
    """

    href: str
    text: str = ""
    source: str = "a"


# A bare URL in text: scheme or www., then everything up to whitespace, quotes, brackets or
# CJK punctuation. Used only at positions the term automaton already found.
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>()\[\]{}，。；、！？“”‘’（）《》【】]+",
                      re.IGNORECASE)
URL_STARTS = ("http://", "https://", "www.")


def host_of(url: str) -> str | None:
    """Return the normalised host of an absolute or protocol-relative URL, or None.

    Lower case, no port, no trailing dot, IDNA labels (xn--…) decoded so that "*.政务" and its
    punycode form are the same host.
    """
    url = url.strip()
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    try:
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    return normalise_host(host)


def normalise_host(host: str) -> str:
    """Lower-case a host, drop a trailing dot and decode punycode labels."""
    host = host.strip().rstrip(".").lower()
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def normalise_domain_pattern(pattern: str) -> tuple[str, bool]:
    """Turn what an operator typed ("*.gov.cn", "https://www.x.cn/") into (domain, subdomains)."""
    text = pattern.strip()
    include_subdomains = False
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0]
    if text.startswith("*."):
        text, include_subdomains = text[2:], True
    return normalise_host(text), include_subdomains


class DomainAllowList:
    """Decide whether a host is allowed (not commercial), by exact host or by parent domain."""

    def __init__(self, rules: Iterable[DomainRule]) -> None:
        self.exact: set[str] = set()
        self.parents: set[str] = set()
        for rule in rules:
            domain = normalise_host(rule.domain)
            if not domain:
                continue
            self.exact.add(domain)
            if rule.include_subdomains:
                self.parents.add(domain)

    def allows(self, host: str) -> bool:
        """Return whether host is on the list, itself or under an include_subdomains entry."""
        host = normalise_host(host)
        if host in self.exact:
            return True
        labels = host.split(".")
        return any(".".join(labels[i:]) in self.parents for i in range(1, len(labels)))


def is_ip_address(host: str) -> bool:
    """Return whether host is a literal IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def resolve(href: str, base_url: str | None) -> str:
    """Resolve href against base_url when there is one."""
    href = href.strip()
    if base_url:
        try:
            return urljoin(base_url, href)
        except ValueError:
            return href
    return href


def bare_urls(text: str) -> list[tuple[int, str]]:
    """Return (offset, url) for every bare URL in text (http://, https:// or www.)."""
    return [(m.start(), m.group(0).rstrip(".,;:!?")) for m in BARE_URL.finditer(text)]
