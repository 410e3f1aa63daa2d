"""Detailed residential addresses (详细住址, RS-14) in text.

Two shapes are reported, with the words of `data/privacy.json` ("address"):

- a flat: a unit number and 单元 with a room number after it, optionally a building before it
  (3栋2单元501室, 12幢1单元302, 5号楼二单元1101). Offices are numbered by floor and room
  (3楼302室) and have no 单元, so an office address is not reported;
- a residence after its label (住址, 家住, 现住, 居住地, 户籍地 …): the label, a separator, then
  a place (a word such as 市, 县, 镇, 村, 路, 小区 in it) ending in a house, group or room number
  within `max_length` characters (家住示例县某某镇某某村3组15号, 住址：示例市和平路12号).
  An office's 地址 or 办公地址 has no residence label.

The screener's term automaton finds the anchors (单元 and the labels), so ordinary text costs
nothing here. Evidence shows every digit masked (和平路**号*栋*单元***室).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .privacy import PersonalDataMatch
from .rules import DATA_DIR

ADDRESS = "privacy.address"
_DIGIT = "0-9０-９"
_DIGITS = re.compile(f"[{_DIGIT}]")


@dataclass(frozen=True)
class AddressData:
    """The words the address detector reads (data/privacy.json "address")."""

    labels: tuple[str, ...]
    unit_word: str
    building_words: tuple[str, ...]
    room_words: tuple[str, ...]
    number_words: tuple[str, ...]
    place_words: tuple[str, ...]
    max_length: int


@cache
def address_data() -> AddressData:
    """Return the address words of data/privacy.json."""
    with (DATA_DIR / "privacy.json").open(encoding="utf-8") as handle:
        data = json.load(handle)["address"]
    return AddressData(
        labels=tuple(data["labels"]), unit_word=str(data["unit_word"]),
        building_words=tuple(data["building_words"]), room_words=tuple(data["room_words"]),
        number_words=tuple(data["number_words"]), place_words=tuple(data["place_words"]),
        max_length=int(data["max_length"]))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def mask_address(text: str) -> str:
    """Return an address with every digit replaced by *."""
    return _DIGITS.sub("*", text)


class AddressFinder:
    """Find detailed residential addresses around the anchors the automaton reported."""

    def __init__(self, data: AddressData, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.data = data
        building = _alternation(data.building_words)
        room = _alternation(data.room_words)
        # Looking back from 单元: an optional building, then the unit's own number.
        self._before_unit = re.compile(
            f"(?:[{_DIGIT}]{{1,4}}(?:{building})[ 　]?)?(?:[{_DIGIT}]{{1,2}}|[一二三四五六七八九十]{{1,2}})$")
        self._after_unit = re.compile(f"[ 　]?[{_DIGIT}]{{3,4}}(?:{room})?(?![{_DIGIT}])")
        self._unit_len = len(data.unit_word)
        numbers = _alternation(data.number_words)
        self._after_label = re.compile(
            f"[：:是为在于 　]{{0,3}}(?P<address>[^，。；;！？!?\\n\\s]{{2,{data.max_length}}}?"
            f"(?:[{_DIGIT}]{{1,5}}(?:{numbers}))+)")
        self._places = re.compile(_alternation(data.place_words))

    @property
    def anchors(self) -> list[str]:
        """The strings the screener's automaton must report to this finder."""
        return [self.data.unit_word, *self.data.labels] if self.enabled else []

    def find(self, text: str, anchors: list[tuple[int, int]]) -> list[PersonalDataMatch]:
        """Return the addresses at the reported anchors (start, end), without overlaps."""
        found: list[PersonalDataMatch] = []
        covered = -1
        for start, end in sorted(anchors):
            if start < covered:
                continue
            anchor = text[start:end]
            match = (self._flat(text, start, end) if anchor == self.data.unit_word
                     else self._labelled(text, end))
            if match is not None:
                found.append(match)
                covered = match.end
        return found

    def _flat(self, text: str, start: int, end: int) -> PersonalDataMatch | None:
        window = max(0, start - 12)
        before = self._before_unit.search(text, window, start)
        after = self._after_unit.match(text, end)
        if before is None or after is None:
            return None
        return PersonalDataMatch(rule_id=ADDRESS, start=before.start(), end=after.end(),
                                 masked=mask_address(text[before.start():after.end()]))

    def _labelled(self, text: str, end: int) -> PersonalDataMatch | None:
        match = self._after_label.match(text, end)
        if match is None:
            return None
        address = match.group("address")
        if not self._places.search(address):
            return None
        start, stop = match.span("address")
        # A flat after the house number belongs to the same address (…12号3栋2单元501室).
        tail = self._flat_tail(text, stop)
        return PersonalDataMatch(rule_id=ADDRESS, start=start, end=tail,
                                 masked=mask_address(text[start:tail]))

    def _flat_tail(self, text: str, stop: int) -> int:
        unit = text.find(self.data.unit_word, stop, stop + 12)
        if unit < 0:
            return stop
        flat = self._flat(text, unit, unit + self._unit_len)
        return flat.end if flat is not None and flat.start <= stop + 8 else stop
