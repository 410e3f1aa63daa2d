"""Detect personal data in text: resident ID numbers, mobile numbers and bank card numbers.

Each detector validates what it finds (GB 11643 check digit and birth date; a real mobile number
segment; Luhn and an issuer prefix) and refuses numbers that are part of something longer, so
dates, landlines with area codes, 文号, 索引号, postcodes and amounts do not raise findings.
Everything shown to a reader is masked.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .rules import BANK_CARD, MOBILE, RESIDENT_ID, PrivacyData, privacy_data

SHANGHAI = ZoneInfo("Asia/Shanghai")

_D = "0-9０-９"
_WORD = "0-9０-９A-Za-zＡ-Ｚａ-ｚ"
# The pattern must begin with a bare character class: CPython's regex engine then skips
# non-digits in a tight C loop, which keeps this pass far faster than the term automaton.
# The three digits every form starts with are factored out so that the many short numbers
# of ordinary text (dates, amounts) fail after a step or two; runs are possessive and the
# final look-ahead refuses numbers glued to letters (索引号 …0420Y) without backtracking.


def candidate_pattern(first_digits: str = "0123456789") -> re.Pattern[str]:
    """Compile the candidate pattern for numbers starting with one of first_digits."""
    wide = "".join(chr(ord(digit) + 0xFEE0) for digit in first_digits)
    return re.compile(
        f"[{first_digits}{wide}][{_D}]{{2}}(?:"
        f"[{_D}]{{8,}}+[XxＸｘ]?+"  # a run of 11 or more digits (an ID may end in X)
        f"|([ -])[{_D}]{{4}}\\1[{_D}]{{4}}"  # 138 1234 5678, 138-1234-5678
        f"|[{_D}]([ -])[{_D}]{{4}}\\2[{_D}]{{4}}\\2[{_D}]{{4}}(?:\\2[{_D}]{{1,3}}+)?+"  # groups
        f")(?![{_WORD}])"
    )


#: Any long number, whatever its first digit: what masking hides in context snippets.
CANDIDATE = candidate_pattern()
#: Every candidate holds eleven ASCII digits in a row or a group of four between two
#: separators; in the class string (evasion.CLASS_TABLE: digit "0", space or hyphen "-")
#: these are the patterns below, which a small automaton finds far faster than the regular
#: expression can skip the text between numbers.
CLASS_PATTERNS = (b"00000000000", b"0-0000-0")
_RUN_CLASSES = frozenset(b"0-")
_RUN = re.compile(rb"[0\-]*")
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX", " -")
_JOINERS = frozenset("./_-")
_CLAUSE_BREAK = re.compile("[。；;！？!?，,、\n]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class PersonalDataMatch:
    """One validated piece of personal data: where it is and how to show it masked."""

    rule_id: str
    start: int
    end: int
    masked: str


def _is_word(char: str) -> bool:
    """Return whether char would continue an identifier (ASCII or full-width letter or digit)."""
    if char.isascii():
        return char.isalnum()
    return "０" <= char <= "９" or "Ａ" <= char <= "Ｚ" or "ａ" <= char <= "ｚ"


def _glued_to_a_word(text: str, classes: bytes, start: int, end: int) -> bool:
    """Return whether a run of digits only (no separator) runs into a letter or digit.

    Every candidate inside such a run ends where the run ends (its digits are possessive) and
    would fail the pattern's look-ahead, like the 索引号 11441700007280420Y.
    """
    if b"-" in classes[start:end] or end >= len(text):
        return False
    after = text[end]
    if after in "XxＸｘ":
        return end + 1 < len(text) and _is_word(text[end + 1])
    return _is_word(after)


def today_in_china() -> date:
    """Return today's date in China, the reference for 'birth date not in the future'."""
    return datetime.now(tz=SHANGHAI).date()


def birth_date_of(number: str, *, data: PrivacyData, today: date) -> date | None:
    """Return the birth date encoded in an 18-character ID number, or None if impossible."""
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born.year < data.earliest_birth_year or born > today:
        return None
    return born


def id_check_character(first17: str) -> str:
    """Return the GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits."""
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError("an ID number has 17 digits before its check character")
    return _ID_CHECK[sum(map(operator.mul, map(int, first17), _ID_WEIGHTS)) % 11]


def looks_like_resident_id(number: str, *, data: PrivacyData, today: date) -> bool:
    """Return whether an 18-character number has an ID's region and birth date (check ignored)."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and number[:2] in data.province_codes
        and birth_date_of(number, data=data, today=today) is not None
    )


def is_id_shaped(number: str, *, data: PrivacyData, today: date) -> bool:
    """Return whether an 18-digit number is a near-miss ID rather than anything else.

    True when the region is valid and either the birth date or the check digit is: a
    mistyped ID number, not a bank card that happens to pass Luhn.
    """
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in data.province_codes:
        return False
    return (birth_date_of(number, data=data, today=today) is not None
            or id_check_character(number[:17]) == number[17])


def is_resident_id(number: str, *, data: PrivacyData | None = None,
                   today: date | None = None) -> bool:
    """Return whether number is a valid 18-digit resident ID (GB 11643): region, date, check."""
    data = data or privacy_data()
    today = today or today_in_china()
    return (
        looks_like_resident_id(number, data=data, today=today)
        and (number[17].isdigit() or number[17] == "X")
        and id_check_character(number[:17]) == number[17]
    )


def is_mobile_number(number: str, *, data: PrivacyData | None = None) -> bool:
    """Return whether number is an 11-digit mainland mobile number in an allocated segment."""
    data = data or privacy_data()
    return len(number) == 11 and number.isdigit() and number[:3] in data.mobile_prefixes


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def passes_luhn(number: str) -> bool:
    """Return whether a digit string passes the Luhn (mod 10) check."""
    digits = number[::-1]
    total = sum(map(int, digits[::2]))
    total += sum(map(_LUHN_DOUBLED.__getitem__, map(int, digits[1::2])))
    return total % 10 == 0


def is_bank_card_number(number: str, *, data: PrivacyData | None = None) -> bool:
    """Return whether number is a plausible bank card: length, issuer prefix and Luhn."""
    data = data or privacy_data()
    return (
        data.card_min_length <= len(number) <= data.card_max_length
        and number.isdigit()
        and number.startswith(data.card_iin_prefixes)
        and passes_luhn(number)
    )


def mask_resident_id(number: str) -> str:
    """Mask an ID number: region code and last four kept, e.g. 110101********1234."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_mobile(number: str) -> str:
    """Mask a mobile number: segment and last four kept, e.g. 138****5678."""
    return number[:3] + "****" + number[7:]


def mask_bank_card(number: str) -> str:
    """Mask a card number in groups of four, first and last four kept: 6222 **** **** 1234."""
    stars = "*" * (len(number) - 8)
    groups = [stars[i:i + 4] for i in range(0, len(stars), 4)]
    return " ".join([number[:4], *groups, number[-4:]])


def mask_any_number(raw: str) -> str:
    """Mask every digit of a long number except the first three and last four."""
    positions = [i for i, char in enumerate(raw) if char.translate(_TO_ASCII).isdigit()]
    hidden = set(positions[3:-4])
    return "".join("*" if i in hidden else char for i, char in enumerate(raw))


def mask_numbers_in(snippet: str) -> str:
    """Mask every long number in a snippet shown to a reader, valid personal data or not."""
    return CANDIDATE.sub(lambda m: mask_any_number(m.group(0)), snippet)


class PersonalDataDetector:
    """Find validated resident IDs, mobile numbers and bank card numbers in text."""

    def __init__(self, data: PrivacyData | None = None, *,
                 enabled: frozenset[str] = frozenset({RESIDENT_ID, MOBILE, BANK_CARD})) -> None:
        self.data = data or privacy_data()
        self.enabled = enabled
        # Only digits that can start an ID, a mobile or a card begin a candidate; skipping
        # the rest (0 and 9 start most years and amounts) saves regex attempts.
        first = {code[0] for code in self.data.province_codes}
        first |= {prefix[0] for prefix in self.data.mobile_prefixes}
        first |= {prefix[0] for prefix in self.data.card_iin_prefixes}
        self.pattern = candidate_pattern("".join(sorted(first)))

    def find(self, text: str, *, today: date | None = None, classes: bytes | None = None,
             hits: Iterable[int] | None = None) -> list[PersonalDataMatch]:
        """Return the personal data in text, in order of position.

        classes and hits: the class string of text (one byte per character) and the offsets
        where CLASS_PATTERNS matched in it. Given both, only the runs of digits and separators
        around those offsets are searched; the text must then hold no full-width digit.
        """
        if not self.enabled:
            return []
        if classes is None or hits is None:
            candidates = self.pattern.finditer(text)
        else:
            candidates = self._candidates_in_runs(text, classes, hits)
        return [match for match in self._iter(text, candidates, today)
                if match.rule_id in self.enabled]

    def _candidates_in_runs(self, text: str, classes: bytes,
                            hits: Iterable[int]) -> Iterator[re.Match[str]]:
        """Yield the candidates of the digit runs that hold a class-pattern hit.

        No candidate spans two runs (a candidate is digits, spaces, hyphens and a final X),
        so searching each run from its start finds what a search of the whole text would.
        """
        covered = -1
        length = len(text)
        for hit in sorted(hits):
            if hit < covered:
                continue
            start = hit
            while start > 0 and classes[start - 1] in _RUN_CLASSES:
                start -= 1
            end = _RUN.match(classes, hit).end()  # type: ignore[union-attr]
            covered = end
            if _glued_to_a_word(text, classes, start, end):
                continue
            # Two more characters: a final X and the character the look-ahead must see.
            for candidate in self.pattern.finditer(text, start, min(length, end + 2)):
                if candidate.start() < end:
                    yield candidate

    def _iter(self, text: str, candidates: Iterable[re.Match[str]],
              today: date | None) -> Iterator[PersonalDataMatch]:
        for candidate in candidates:
            start, end = candidate.span()
            if not self._stands_alone(text, start, end):
                continue
            raw = candidate.group(0)
            grouped = candidate.group(1) is not None or candidate.group(2) is not None
            number = raw.translate(_TO_ASCII)
            found = self._classify(text, start, number, grouped=grouped, today=today)
            if found is not None:
                rule_id, masked = found
                yield PersonalDataMatch(rule_id=rule_id, start=start, end=end, masked=masked)

    def _stands_alone(self, text: str, start: int, end: int) -> bool:
        """Refuse numbers glued to letters, digits, decimals, amounts or compound codes."""
        data = self.data
        if start > 0:
            before = text[start - 1]
            if _is_word(before) or before in data.currency_before:
                return False
            if before in _JOINERS and start > 1 and _is_word(text[start - 2]):
                return False
        if end < len(text):
            after = text[end]
            if _is_word(after) or after in data.units_after:
                return False
            if after in _JOINERS and end + 1 < len(text) and _is_word(text[end + 1]):
                return False
        return True

    def _labelled_as_code(self, text: str, start: int) -> bool:
        """Return whether the words just before start, in the same clause, call it a code."""
        window = _CLAUSE_BREAK.split(text[max(0, start - self.data.label_window):start])[-1]
        return any(label in window for label in self.data.code_labels)

    def _classify(self, text: str, start: int, number: str, *, grouped: bool,
                  today: date | None) -> tuple[str, str] | None:
        data = self.data
        length = len(number)
        if number.endswith("X"):
            if length == 18 and is_resident_id(number, data=data, today=today):
                return RESIDENT_ID, mask_resident_id(number)
            return None
        if length == 18 and not grouped:
            day = today or today_in_china()
            if is_resident_id(number, data=data, today=day):
                return RESIDENT_ID, mask_resident_id(number)
            if is_id_shaped(number, data=data, today=day):
                return None  # a near-miss ID (wrong check digit or date), not a card
        if length == 11:
            if is_mobile_number(number, data=data) and not self._labelled_as_code(text, start):
                return MOBILE, mask_mobile(number)
            return None
        if (length == 13 and number.startswith("86") and start > 0 and text[start - 1] == "+"
                and is_mobile_number(number[2:], data=data)):
            return MOBILE, "+86 " + mask_mobile(number[2:])
        if is_bank_card_number(number, data=data) and not self._labelled_as_code(text, start):
            return BANK_CARD, mask_bank_card(number)
        return None
