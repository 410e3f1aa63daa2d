"""Text-scanning helpers of the Screener (engine.py): the raw automaton results, the pieces a
long text is cut into, UTF-16 offsets, chained separator gaps and the masked context a finding
shows."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .normalise import character_tables
from .privacy import mask_numbers_in
from .types import Finding

#: Characters of text shown on each side of a finding.
CONTEXT_WIDTH = 20
_DIGITISH = frozenset("0123456789０１２３４５６７８９XxＸｘ -")
_HAS_DIGIT = re.compile("[0-9０-９]")


def link_key(href: str) -> str:
    """Return a key under which two spellings of the same URL compare equal."""
    text = href.strip()
    if text.lower().startswith("www."):
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}?{parts.query}"


def in_original(finding: Finding, kept: list[int]) -> Finding:
    """Return a finding of the text without zero-width characters with its original offset."""
    if not 0 <= finding.offset < len(kept):
        return finding
    extra = finding.extra
    last = finding.offset + len(finding.evidence) - 1
    if "term" in extra and last < len(kept) and kept[last] - kept[finding.offset] != last \
            - finding.offset:
        kinds = [kind for kind in extra.get("evasion", "").split(",") if kind]
        extra = {**extra, "evasion": ",".join([*kinds, "invisible"])}
    return dataclasses.replace(finding, offset=kept[finding.offset], extra=extra)


@dataclass
class RawScan:
    """The term automaton's matches in one text, by kind (character offsets)."""

    data: bytes  # the text as the automaton read it (UTF-16-BE)
    terms: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, term index)
    url_starts: list[int] = field(default_factory=list)
    triggers: list[tuple[int, int]] = field(default_factory=list)
    edges: list[tuple[int, int]] = field(default_factory=list)
    markings: list[int] = field(default_factory=list)  # where a marking can start
    addresses: list[tuple[int, int]] = field(default_factory=list)  # 单元, residence labels
    internal: list[tuple[int, int]] = field(default_factory=list)  # 预案, 不得外传 … (internal.py)
    invisible: bool = False
    wide_digits: bool = False


@dataclass
class Gates:
    """What the evasion gates found in the pieces of one text (offsets in the whole text)."""

    gaps: list[tuple[int, int]] = field(default_factory=list)
    triggers: list[tuple[int, int]] = field(default_factory=list)
    latin: list[tuple[int, int]] = field(default_factory=list)


#: The passes over the class string go piece by piece through texts longer than this many
#: characters, cut after a line break: no term, disguise, number or URL spans a line break.
PIECE_CHARS = 1 << 16
_PIECE_SLACK = 1 << 14


def pieces(text: str) -> list[tuple[int, int]]:
    """Cut text after line breaks into pieces of about PIECE_CHARS characters."""
    pieces: list[tuple[int, int]] = []
    low = 0
    while len(text) - low > PIECE_CHARS + _PIECE_SLACK:
        cut = text.find("\n", low + PIECE_CHARS, low + PIECE_CHARS + _PIECE_SLACK)
        if cut < 0:
            cut = text.find("\n", low + PIECE_CHARS)
            if cut < 0:
                break
        pieces.append((low, cut + 1))
        low = cut + 1
    pieces.append((low, len(text)))
    return pieces


def high_byte_triggers(text: str, high_bytes: bytes, table: bytes) -> list[tuple[int, int]]:
    """Return the spans of the trigger characters found by their UTF-16 high byte alone.

    high_bytes holds the first byte of each UTF-16-BE code unit of text.
    """
    marks = high_bytes.translate(table)
    unit = marks.find(b"T")
    if unit < 0:
        return []
    units: list[int] = []
    while unit >= 0:
        units.append(unit)
        unit = marks.find(b"T", unit + 1)
    if len(high_bytes) != len(text):
        units = [start for _, start, _ in astral_to_chars(text, [(0, u, u) for u in units])]
    triggers = character_tables().triggers
    return [(index, index + 1) for index in units if text[index] in triggers]


GAP_CLASSES = frozenset(b"s-")


def chained_gaps(classes: bytes, start: int, limit: int) -> list[tuple[int, int]]:
    """Return the ASCII gaps chained after the one ending at start (C-C-C).

    A leftmost search reports only the first gap of a chain, since the next one begins with the
    character the first one ended with.
    """
    found: list[tuple[int, int]] = []
    while True:
        end = start + 1
        while end < len(classes) and classes[end] in GAP_CLASSES and end - start <= limit:
            end += 1
        if end >= len(classes) or end - start - 1 > limit or classes[end] != ord("C") \
                or end == start + 1:
            return found
        found.append((start, end + 1))
        start = end


def astral_to_chars(text: str, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Convert UTF-16 code-unit offsets to character offsets when text has non-BMP characters."""
    # Code-unit offset of each astral character: its character offset plus the number of
    # astral characters before it (each of those takes two units).
    astral_units = [m.start() + i for i, m in enumerate(re.finditer("[\U00010000-\U0010ffff]",
                                                                     text))]

    def to_char(unit: int) -> int:
        return unit - bisect.bisect_left(astral_units, unit)

    return [(owner, to_char(start), to_char(end)) for owner, start, end in matches]


def context_snippet(text: str, start: int, end: int, *, replacement: str | None = None) -> str:
    """Return the text around [start, end) with numbers masked and whitespace collapsed."""
    left = max(0, start - CONTEXT_WIDTH)
    right = min(len(text), end + CONTEXT_WIDTH)
    # Never cut a number in two: half of an ID number would escape masking.
    while left > 0 and start - left < 2 * CONTEXT_WIDTH and text[left - 1] in _DIGITISH:
        left -= 1
    while right < len(text) and right - end < 2 * CONTEXT_WIDTH and text[right] in _DIGITISH:
        right += 1
    if replacement is None:
        snippet = text[left:right]
        if _HAS_DIGIT.search(snippet):
            snippet = mask_numbers_in(snippet)
    else:
        snippet = (mask_numbers_in(text[left:start]) + replacement
                   + mask_numbers_in(text[end:right]))
    return " ".join(snippet.split())
