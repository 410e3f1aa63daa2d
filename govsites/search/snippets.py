"""Highlighted snippets: a window of the stored text around the first query word, escaped,
with every query word marked (<mark>). Matching is on the normalised text (繁体 and full-width
text is found by 简体 query words) and marks the original characters."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import normalise

WINDOW = 120


def _aligned(text: str) -> str:
    """The normalised text when it has the same length as the text (almost always), else ""."""
    norm = normalise(text)
    return norm if len(norm) == len(text) else ""


def _spans(norm: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    if not norm or not terms:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    return [(m.start(), m.end()) for m in pattern.finditer(norm)]


def _mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> SafeString:
    out: list[str] = []
    pos = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text) or start < pos:
            continue
        start = max(start, 0)
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """Return the whole text (a title) with the query words marked."""
    return _mark(text, _spans(_aligned(text), terms))


def snippet(text: str, terms: Sequence[str], *, window: int = WINDOW) -> SafeString:
    """Return a window of text around the first query word, marked; the opening otherwise."""
    text = " ".join(text.split())
    spans = _spans(_aligned(text), terms)
    start = max(spans[0][0] - window // 4, 0) if spans else 0
    piece = text[start:start + window]
    marked = _mark(piece, spans, offset=start)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + window < len(text) else ""
    return mark_safe(escape(prefix) + marked + escape(suffix))
