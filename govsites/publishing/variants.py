"""简体 → 繁体 conversion of rendered HTML (OpenCC s2t, phrase-level) with protected terms.

The 繁体 page is made from the 简体 page, never rendered separately, so both always carry the
same content. Only human-readable text is converted: text nodes, <title> and the title, alt,
aria-label and placeholder attributes. The 网页标签 (<meta name=...>) stay as the registry
wrote them, scripts and styles are untouched, and addresses never change except that links
inside the site, and absolute links to the other sites of the cluster (`cluster_hosts()`),
gain the /zh-hant prefix so a reader stays in 繁体.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import opencc

from .paths import HANT_PREFIX

SEPARATOR = "\ue000"  # private-use: never in content, never a phrase boundary OpenCC joins
_MASK_BASE = 0xF0000  # supplementary private-use plane: one char per protected occurrence
TRANSLATED_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
# Addresses that are not pages and have no 繁体 version.
UNPREFIXED = ("/static/", "/media/", "/documents/", "/admin/", "/_govsites/", "/django-admin/",
              HANT_PREFIX + "/")
UNPREFIXED_SUFFIXES = (".xml", ".txt", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".css",
                       ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ofd", ".wps")

MODE_SWITCH = "/_govsites/mode/"
_TOKEN = re.compile(r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)",
                    re.DOTALL | re.IGNORECASE)
_ATTR = re.compile(r'(\s(?:' + "|".join(TRANSLATED_ATTRIBUTES) + r')=")([^"]*)(")',
                   re.IGNORECASE)
_HREF = re.compile(r'(\shref=")(/(?!/)[^"]*)(")')
_ABS_HREF = re.compile(r'(\shref="(?:https?:)?//)([^/"?#]+)(/[^"]*)?(")', re.IGNORECASE)
_HTML_LANG = re.compile(r'(<html\b[^>]*\slang=")zh-Hans(")')
_SWITCH = re.compile(r"<!--govsites:variant-switch-->.*?<!--/govsites:variant-switch-->",
                     re.DOTALL)
_SWITCH_HREF = re.compile(r'data-hans-href="([^"]*)"')
_HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_local = threading.local()


def _converter() -> opencc.OpenCC:
    conv = getattr(_local, "converter", None)
    if conv is None:
        conv = opencc.OpenCC("s2t")
        _local.converter = conv
    return conv


@dataclass(frozen=True)
class TermTable:
    """Protected terms, longest first, compiled into one pattern."""

    pattern: re.Pattern[str] | None
    replacements: dict[str, str]

    @classmethod
    def build(cls, terms: Iterable[tuple[str, str]]) -> TermTable:
        pairs = {t: (r or t) for t, r in terms if t}
        if not pairs:
            return cls(None, {})
        ordered = sorted(pairs, key=len, reverse=True)
        return cls(re.compile("|".join(re.escape(t) for t in ordered)), pairs)


@lru_cache(maxsize=4)
def _terms_for_version(version: str) -> TermTable:
    from .models import ProtectedTerm

    return TermTable.build(ProtectedTerm.objects.values_list("term", "replacement"))


def current_terms() -> TermTable:
    """Return the protected-term table, reloaded when the dictionary changes."""
    from django.db.models import Count, Max

    from .models import ProtectedTerm

    agg = ProtectedTerm.objects.aggregate(n=Count("id"), last=Max("id"))
    # Edits change neither count nor max id, so a cache clear on save covers them (handlers).
    return _terms_for_version(f"{agg['n']}:{agg['last']}:{_local_generation()}")


_generation = [0]


def _local_generation() -> int:
    return _generation[0]


def terms_changed() -> None:
    """Forget the cached dictionary (called when a protected term is saved or deleted)."""
    _generation[0] += 1
    _terms_for_version.cache_clear()


def convert_text(text: str, terms: TermTable | None = None) -> str:
    """Convert 简体 text to 繁体, leaving protected terms as the dictionary says."""
    return convert_segments([text], terms)[0]


def convert_segments(segments: list[str], terms: TermTable | None = None) -> list[str]:
    """Convert many strings in one OpenCC call (segments are joined by a private separator)."""
    if not segments:
        return []
    masked: list[str] = []
    restore: list[str] = []
    for segment in segments:
        if terms is not None and terms.pattern is not None:
            def _mask(m: re.Match[str]) -> str:
                restore.append(terms.replacements[m.group(0)])
                return chr(_MASK_BASE + len(restore) - 1)

            segment = terms.pattern.sub(_mask, segment)
        masked.append(segment)
    joined = _converter().convert(SEPARATOR.join(masked))
    if restore:
        joined = re.sub("[\U000f0000-\U000fffff]",
                        lambda m: restore[ord(m.group(0)) - _MASK_BASE], joined)
    parts = joined.split(SEPARATOR)
    if len(parts) != len(segments):  # pragma: no cover - OpenCC never drops private-use chars
        raise RuntimeError("OpenCC changed the segment separator")
    return parts


def _prefix_href(m: re.Match[str]) -> str:
    url = m.group(2)
    if url.startswith(MODE_SWITCH):  # the mode switch returns the reader to this 繁体 page
        url = url.replace("next=%2F", "next=%2Fzh-hant%2F", 1)
        return f"{m.group(1)}{url}{m.group(3)}"
    if url.startswith(UNPREFIXED) or url == HANT_PREFIX:
        return m.group(0)
    path_only = url.split("?", 1)[0].split("#", 1)[0]
    if path_only.lower().endswith(UNPREFIXED_SUFFIXES):
        return m.group(0)
    return f"{m.group(1)}{HANT_PREFIX}{url}{m.group(3)}"


def cluster_hosts() -> frozenset[str]:
    """Every host name (with port when not 80/443) the cluster's sites answer to: Wagtail
    hostnames and the registry's domains. Absolute links to them are links inside the cluster."""
    from wagtail.models import Site

    hosts: set[str] = set()
    for hostname, port in Site.objects.values_list("hostname", "port"):
        hosts.add(hostname.lower())
        if port not in (80, 443):
            hosts.add(f"{hostname}:{port}".lower())
    from govsites.sites.models import SiteProfile

    for domain, chinese in SiteProfile.objects.values_list("domain", "chinese_domain"):
        hosts.update(d.lower() for d in (domain, chinese) if d)
    return frozenset(hosts)


def _cluster_href(hosts: frozenset[str]) -> Any:
    def _sub(m: re.Match[str]) -> str:
        path = m.group(3) or "/"
        if m.group(2).lower() not in hosts:
            return m.group(0)
        path_only = path.split("?", 1)[0].split("#", 1)[0]
        if (path.startswith(UNPREFIXED) or path == HANT_PREFIX
                or path_only.lower().endswith(UNPREFIXED_SUFFIXES)):
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{HANT_PREFIX}{path}{m.group(4)}"

    return _sub


def _hant_switch(m: re.Match[str]) -> str:
    href = _SWITCH_HREF.search(m.group(0))
    target = href.group(1) if href else "/"
    return ('<!--govsites:variant-switch--><a class="variant-switch" lang="zh-Hans" '
            f'hreflang="zh-Hans" href="{target}">简体</a><!--/govsites:variant-switch-->')


def html_to_hant(html: str, terms: TermTable | None = None,
                 hosts: frozenset[str] = frozenset()) -> str:
    """Return the 繁体 version of a rendered 简体 page (hosts: see cluster_hosts)."""
    cluster_sub = _cluster_href(hosts) if hosts else None
    parts = _TOKEN.split(html)
    # parts alternates text, tag, text, tag, ...; collect what needs converting.
    texts: list[str] = []
    where: list[tuple[int, int, int]] = []  # (part index, kind 0=text 1=attr, attr order)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if part and _HAS_CJK.search(part):
                texts.append(part)
                where.append((i, 0, 0))
            continue
        lower = part[:7].lower()
        if lower.startswith(("<script", "<style", "<!--", "<meta")):
            continue
        if lower.startswith("<a ") and ' href="/' in part:
            part = parts[i] = _HREF.sub(_prefix_href, part)
            if cluster_sub is not None and '//' in part:
                part = parts[i] = _ABS_HREF.sub(cluster_sub, part)
        elif lower.startswith("<a ") and cluster_sub is not None and '//' in part:
            part = parts[i] = _ABS_HREF.sub(cluster_sub, part)
        if "=" in part and _HAS_CJK.search(part):
            for k, am in enumerate(_ATTR.finditer(part)):
                if _HAS_CJK.search(am.group(2)):
                    texts.append(am.group(2))
                    where.append((i, 1, k))
    converted = convert_segments(texts, terms)
    attr_values: dict[int, dict[int, str]] = {}
    for (i, kind, k), value in zip(where, converted, strict=True):
        if kind == 0:
            parts[i] = value
        else:
            attr_values.setdefault(i, {})[k] = value
    for i, values in attr_values.items():
        parts[i] = _replace_attrs(parts[i], values)
    out = _HTML_LANG.sub(r"\1zh-Hant\2", "".join(parts), count=1)
    return _SWITCH.sub(_hant_switch, out)


def _replace_attrs(tag: str, values: dict[int, str]) -> str:
    seen = [0]

    def _attr(am: re.Match[str]) -> str:
        k = seen[0]
        seen[0] += 1
        if k in values:
            return f"{am.group(1)}{values[k]}{am.group(3)}"
        return am.group(0)

    return _ATTR.sub(_attr, tag)
