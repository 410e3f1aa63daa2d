"""Internal documents and 处置预案 in published text (checklist RS-15, 亳州 第10条（三）).

A document marked 内部 at its top is a marking (markings.py). Two more shapes are found here,
with the words of `data/internal.json`:

- `secret.restricted_distribution`: the text limits its own circulation (不得外传, 内部掌握,
  仅限内部传阅 …) anywhere;
- `secret.internal_plan`: a plan (预案) that either limits its circulation that way or carries
  a contact list of at least `min_contacts` mobile numbers, the 联络表 an internal 处置预案
  has. A published 应急预案 is legitimate (条例第二十条), so both are for a reviewer to decide
  (serious), not vetoes.

The screener's term automaton finds the words (anchors), so ordinary text costs nothing here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from .rules import DATA_DIR
from .variants import traditional_forms

RESTRICTED_DISTRIBUTION = "secret.restricted_distribution"
INTERNAL_PLAN = "secret.internal_plan"
INTERNAL_RULES = (RESTRICTED_DISTRIBUTION, INTERNAL_PLAN)


@dataclass(frozen=True)
class InternalData:
    """The words of data/internal.json."""

    plan_words: tuple[str, ...]
    restriction_phrases: tuple[str, ...]
    min_contacts: int


@cache
def internal_data() -> InternalData:
    """Return the national words and the contact-list size from data/internal.json."""
    with (DATA_DIR / "internal.json").open(encoding="utf-8") as handle:
        data = json.load(handle)
    return InternalData(plan_words=tuple(data["plan_words"]),
                        restriction_phrases=tuple(data["restriction_phrases"]),
                        min_contacts=int(data["min_contacts"]))


@dataclass(frozen=True)
class InternalMatch:
    """One internal-document finding: its rule, where, and what a reviewer should read."""

    rule_id: str
    start: int
    end: int
    reason: str


class InternalDocumentFinder:
    """Decide from the anchors the automaton found whether a text is an internal document."""

    def __init__(self, data: InternalData, enabled: frozenset[str]) -> None:
        self.data = data
        self.enabled_rules = enabled & frozenset(INTERNAL_RULES)
        self._plan_forms = frozenset(form for word in data.plan_words
                                     for form in (word, *traditional_forms(word)))
        self._restriction_forms = frozenset(
            form for phrase in data.restriction_phrases
            for form in (phrase, *traditional_forms(phrase)))

    @property
    def enabled(self) -> bool:
        return bool(self.enabled_rules)

    @property
    def anchors(self) -> list[str]:
        """The written forms the automaton must report (none when both rules are off)."""
        if not self.enabled:
            return []
        return sorted(self._plan_forms | self._restriction_forms)

    def find(self, text: str, anchors: list[tuple[int, int]], *,
             contacts: int) -> list[InternalMatch]:
        """Return the findings of a text: anchors are the automaton's (start, end) of the words,
        contacts the number of mobile numbers found in it."""
        plans = [(s, e) for s, e in anchors if text[s:e] in self._plan_forms]
        restrictions: list[tuple[int, int]] = []
        for start, end in sorted({(s, e) for s, e in anchors
                                  if text[s:e] in self._restriction_forms}):
            if restrictions and start < restrictions[-1][1]:
                continue  # 仅限内部传阅: one phrase, not two
            restrictions.append((start, end))
        if plans and INTERNAL_PLAN in self.enabled_rules:
            if restrictions:
                start, end = restrictions[0]
                return [InternalMatch(INTERNAL_PLAN, start, end,
                                      f"预案注明“{text[start:end]}”，属内部预案")]
            if contacts >= self.data.min_contacts:
                start, end = plans[0]
                return [InternalMatch(INTERNAL_PLAN, start, end,
                                      f"预案附有 {contacts} 个手机号码（人员联络表），"
                                      "请确认是否为可公开的应急预案")]
        if RESTRICTED_DISTRIBUTION not in self.enabled_rules:
            return []
        return [InternalMatch(RESTRICTED_DISTRIBUTION, start, end,
                              f"文中注明“{text[start:end]}”，属内部文件")
                for start, end in restrictions]
