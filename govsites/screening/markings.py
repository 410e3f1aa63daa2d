"""密级 and 内部 markings: text that says it must not be published (checklist RS-10, RS-09).

A 密级 (绝密, 机密, 秘密) with its ★ and 期限 is written nowhere but on a classified document,
so that form is found anywhere. The bare words are ordinary prose (保守国家秘密, 内部控制,
内部资料性出版物), so 秘密, 内部, 内部资料, 注意保存 alone count only as a whole line near the top of
a text, where GB/T 9704 puts the marking: among its first lines, before any line of prose. The patterns and the size of "near the top" are data
(data/markings.json); the term automaton finds where an anywhere-pattern can start (ANCHORS).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from .normalise import INVISIBLE_CHARACTERS, character_tables
from .rules import DATA_DIR
from .variants import traditional_forms

#: How a marking found anywhere begins: the term automaton reports these.
_ANCHOR_WORDS = ("绝密", "机密", "秘密", "内部资料", "注意保存")
#: A line longer than this is prose, not a marking line: the header, if any, ends there.
_LONGEST_MARKING_LINE = 40
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")


@dataclass(frozen=True)
class MarkingRule:
    """The patterns of one marking rule id."""

    rule_id: str
    anywhere: tuple[re.Pattern[str], ...]
    header: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class MarkingData:
    """The marking patterns and the reach of the header check (data/markings.json)."""

    header_lines: int
    header_chars: int
    rules: tuple[MarkingRule, ...]


@dataclass(frozen=True)
class MarkingMatch:
    """One marking: its rule and where it is in the original text."""

    rule_id: str
    start: int
    end: int


@cache
def marking_data() -> MarkingData:
    """Return the national marking patterns from data/markings.json."""
    with (DATA_DIR / "markings.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return MarkingData(
        header_lines=int(data["header_lines"]),
        header_chars=int(data["header_chars"]),
        rules=tuple(
            MarkingRule(
                rule_id=entry["rule_id"],
                anywhere=tuple(re.compile(pattern) for pattern in entry.get("anywhere", ())),
                header=tuple(re.compile(pattern) for pattern in entry.get("header", ())),
            )
            for entry in data["rules"]
        ),
    )


def anchors() -> list[str]:
    """Return every written form of the anchor words (traditional, spaced 秘　密)."""
    forms: set[str] = set()
    for word in _ANCHOR_WORDS:
        for form in (word, *traditional_forms(word), word.replace("秘", "祕")):
            forms.add(form)
            if len(form) == 2:
                forms.update(form[0] + space + form[1] for space in (" ", "\u3000"))
    return sorted(forms)


def _normalised(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """Return text[start:end] folded (full-width, traditional), spaces dropped, and positions.

    positions[i] is the original index of the i-th character of the result.
    """
    fold = character_tables().fold
    chars: list[str] = []
    positions: list[int] = []
    for index in range(start, end):
        char = text[index]
        if char.isspace() or char in INVISIBLE_CHARACTERS:
            continue
        folded = fold.get(char)
        if folded is None:
            folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        for piece in folded:
            chars.append(piece)
            positions.append(index)
    return "".join(chars), positions


class MarkingFinder:
    """Find the enabled marking rules in text."""

    def __init__(self, data: MarkingData, enabled: frozenset[str]) -> None:
        self.data = data
        self.rules = tuple(rule for rule in data.rules if rule.rule_id in enabled)
        self.reach = max((len(word) for word in _ANCHOR_WORDS), default=0) + 20

    @property
    def enabled(self) -> bool:
        """Return whether any marking rule runs."""
        return bool(self.rules)

    def find(self, text: str, anchor_starts: list[int]) -> list[MarkingMatch]:
        """Return the markings in text: header lines, and anywhere-forms at the anchors."""
        if not self.rules:
            return []
        found: dict[int, MarkingMatch] = {}
        for match in self._header(text):
            found.setdefault(match.start, match)
        for start in anchor_starts:
            normal, positions = _normalised(text, start, min(len(text), start + self.reach))
            for rule in self.rules:
                hit = next((m for pattern in rule.anywhere if (m := pattern.match(normal))),
                           None)
                if hit is not None and hit.end() > 0:
                    found.setdefault(positions[0], MarkingMatch(
                        rule.rule_id, positions[0], positions[hit.end() - 1] + 1))
                    break
        return sorted(found.values(), key=lambda match: match.start)

    def _header(self, text: str) -> list[MarkingMatch]:
        found: list[MarkingMatch] = []
        limit = min(len(text), self.data.header_chars)
        seen = 0
        for line in _LINE.finditer(text, 0, limit):
            if not line.group().strip():
                continue
            seen += 1
            if seen > self.data.header_lines:
                break
            start, end = line.span()
            if end == self.data.header_chars and end < len(text) and text[end] not in "\n\r":
                break  # the line goes on past the header: not a marking line
            if len(line.group().strip()) > _LONGEST_MARKING_LINE:
                break  # prose: the header, if any, is over
            normal, positions = _normalised(text, start, end)
            for rule in self.rules:
                if any(pattern.fullmatch(normal) for pattern in rule.header):
                    found.append(MarkingMatch(rule.rule_id, positions[0], positions[-1] + 1))
                    break
        return found
