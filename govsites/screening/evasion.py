"""Find dictionary terms in disguise: split by separators, in pinyin, or with look-alikes.

The term automaton (engine.py) finds every term as it is written. Folding the whole text as a
reader would (normalise.py) costs far more than that automaton, so this module looks only where
a disguise can be, and most text never gets there:

1. Gates, each a single pass of C code or already paid for:
   - a *trigger*: a non-ASCII soft separator (★, a full-width space, ·) or a character that
     folds into another (ｂ, а, ⻔, à) — the term automaton reports them as extra patterns;
   - an *ASCII gap*: one to `max_separator_run` ASCII separators between two non-ASCII
     characters (澳 门, 澳-门, 澳.门), found by a small automaton over a one-byte-per-character
     class string that the personal-data pass needs as well;
   - a *mixed-term edge*: the CJK character at the edge of a mixed term (北京赛车pk10) next to
     an ASCII separator — extra patterns of the term automaton;
   - *Latin*: the ASCII letters and digits of the text with everything else deleted, searched
     for the pinyin and Latin forms of the terms, so "Ao Men-Du chang" is found in one pass.
2. A gate hit opens a window only if the characters on both sides of the gap could continue one
   term (a table of every term's two characters before and after each split point), or the
   folded character could continue one (a table of every term's character pairs).
3. Each window is folded and searched with an automaton of the folded terms and their pinyin,
   and a match is kept when it is really disguised (a term as written is the term automaton's),
   every gap is at most `max_separator_run` soft separators, and pinyin or a separated Latin
   term stands as a whole word.

Every gate lets through everything the window matcher accepts: tests compare the result with
folding the whole text as one window, on generated disguises.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import ahocorasick_rs

from .normalise import (
    LOOKALIKE,
    SOFT,
    TRADITIONAL,
    WORD,
    FoldedText,
    NormalisationData,
    character_tables,
    fold_range,
    fold_term,
    is_han,
    pinyin_forms,
)
from .types import Category

PINYIN = "pinyin"
SEPARATORS = "separators"
CASE = "case"

#: Trigger characters outside the term automaton's reach. A character is two bytes in the
#: automaton's UTF-16 text, and a two-byte pattern also matches the second byte of one character
#: with the first of the next: for the symbol blocks that happens all the time. So the automaton
#: holds only the triggers of the blocks whose high byte is also common text (U+20xx
#: punctuation, U+30xx CJK punctuation, U+FFxx full-width forms), Latin-1 triggers are marked in
#: the class string, and the rest are found by their high byte alone (high_byte_table), which
#: ordinary Chinese text never has.
AMBIGUOUS_HIGH_BYTES = frozenset({0x00, 0x20, 0x30, 0xFF})


@cache
def class_table() -> bytes:
    """Return the table that turns Latin-1 text ("?" for anything else) into the class string.

    One byte per character: "0" digit, "-" space or hyphen (the separators of grouped numbers),
    "s" another ASCII soft separator, "T" a Latin-1 trigger (·, NBSP, é), "C" any other
    non-ASCII character, "x" a letter or hard punctuation.
    """
    triggers = character_tables().triggers
    return bytes(
        ord("0") if chr(code).isdigit() and code < 128
        else ord("-") if chr(code) in " -"
        else ord("C") if chr(code) == "?"
        else ord("s") if chr(code) in "\t#$%&*+./<=>@\\^_`|~"
        else ord("x") if code < 128
        else ord("T") if chr(code) in triggers
        else ord("C")
        for code in range(256)
    )


@cache
def high_byte_table() -> bytes:
    """Return the table marking "T" the UTF-16 high bytes of blocks that only triggers use."""
    triggers = character_tables().triggers
    banks = {ord(char) >> 8 for char in triggers if ord(char) < 0x10000}
    banks |= {0xD8, 0xD9, 0xDA, 0xDB}  # high surrogates: emoji, mathematical letters
    banks -= AMBIGUOUS_HIGH_BYTES
    return bytes(ord("T") if code in banks else ord(".") for code in range(256))


#: The ideographic space: its UTF-16 form 30 00 is also "0" followed by any ASCII character, so
#: the term automaton holds it together with the high byte of the character after it, for the
#: characters that can follow it inside a disguised term (ASCII, CJK ideographs of the basic
#: block, full-width forms). One before a CJK Extension A character is not a trigger.
IDEOGRAPHIC_SPACE = "\u3000"
IDEOGRAPHIC_SPACE_PATTERNS = tuple(
    b"\x30\x00" + bytes([high]) for high in (0x00, *range(0x4E, 0xA0), 0xFF))


def automaton_triggers() -> list[str]:
    """Return the trigger characters the term automaton holds (the ambiguous blocks)."""
    return sorted(char for char in character_tables().triggers
                  if ord(char) < 0x10000 and ord(char) >> 8 in AMBIGUOUS_HIGH_BYTES - {0x00}
                  and char != IDEOGRAPHIC_SPACE)
_ASCII_SOFT = b"s-"
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_NOT_ALNUM = bytes(code for code in range(256)
                   if not (48 <= code <= 57 or 65 <= code <= 90 or 97 <= code <= 122))
_LATIN_DFA_MAX_BYTES = 500_000


@dataclass(frozen=True)
class EvasionMatch:
    """A disguised term: where it is in the original text and how it was disguised."""

    owner: int
    start: int
    end: int
    kinds: tuple[str, ...]
    folded: str


def ascii_gap_patterns(max_run: int) -> list[bytes]:
    """Return the class-string patterns: ASCII separators between non-ASCII, a Latin-1 trigger."""
    patterns = [b""]
    for _ in range(max_run):
        patterns = [p + bytes([c]) for p in patterns for c in _ASCII_SOFT] + patterns
    return [LATIN1_TRIGGER, *sorted({b"C" + p + b"C" for p in patterns if p})]


LATIN1_TRIGGER = b"T"


class EvasionMatcher:
    """The disguise-aware part of a Screener, compiled from the same terms."""

    def __init__(self, terms: Sequence[tuple[str, Category]], written_forms: Iterable[str], *,
                 data: NormalisationData) -> None:
        self.max_run = data.max_separator_run
        self.fast_forms = frozenset(written_forms)
        tables = character_tables()
        patterns: list[str] = []
        self._owners: list[tuple[int, bool]] = []  # (term index, is pinyin)
        self._pinyin_owner: set[int] = set()
        seen: set[str] = set()
        self.split_keys: set[str] = set()
        # Characters that do not read as themselves (the pre-check must fold them).
        self._special = frozenset(tables.fold) | frozenset(tables.kind)
        self.pairs: set[str] = set()
        latin: set[bytes] = set()
        edges: set[str] = set()
        longest = longest_written = 2
        for index, (text, category) in enumerate(terms):
            folded = fold_term(text)
            forms: list[tuple[str, bool]] = []
            if len(folded) >= 2:
                forms.append((folded, False))
                for split in range(1, len(folded)):
                    self.split_keys.add(folded[max(0, split - 2):split] + "\x00"
                                        + folded[split:split + 2])
                if folded.isascii():
                    latin.add(folded.encode("ascii"))
                else:
                    latin.update(run.encode("ascii") for run in _ascii_runs(folded)
                                 if len(run) >= 2)
                    edges.update(_edge_triggers(text, tables.kind))
            if category in data.pinyin_categories:
                for spelled in pinyin_forms(text, min_syllables=data.pinyin_min_syllables):
                    forms.append((spelled, True))
                    latin.add(spelled.encode("ascii"))
            for form, is_pinyin in forms:
                self.pairs.update(form[i:i + 2] for i in range(len(form) - 1))
                if form in seen:
                    continue
                seen.add(form)
                patterns.append(form)
                self._owners.append((index, is_pinyin))
                if is_pinyin:
                    longest = max(longest, len(form))
                else:
                    longest_written = max(longest_written, len(form))
        self._written_pairs = _written_pairs(self.split_keys)
        self._radius = longest_written * (self.max_run + 1)
        self._latin_radius = max(longest, longest_written) * (self.max_run + 1)
        self.edge_triggers = sorted(edges)
        self._folded = (ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA) if patterns else None)
        latin_patterns = sorted(latin)
        self._latin_min = min((len(p) for p in latin_patterns), default=0)
        # The Latin patterns make a small DFA (8 MB for the pinyin of 10,000 terms), which
        # searches the letters about three times faster than the contiguous NFA.
        self._latin = (ahocorasick_rs.BytesAhoCorasick(
            latin_patterns, matchkind=ahocorasick_rs.MatchKind.Standard,
            implementation=(ahocorasick_rs.Implementation.DFA
                            if sum(map(len, latin_patterns)) <= _LATIN_DFA_MAX_BYTES
                            else ahocorasick_rs.Implementation.ContiguousNFA))
            if latin_patterns else None)

    @property
    def enabled(self) -> bool:
        """Return whether there is anything to match (some term folds to two characters)."""
        return self._folded is not None

    # -- gates -------------------------------------------------------------------------------

    def windows(self, text: str, *, gaps: Iterable[tuple[int, int]],
                triggers: Iterable[tuple[int, int]], edges: Iterable[tuple[int, int]],
                latin: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """Return the merged stretches of text that the gates send to the window matcher.

        gaps are (start, end) of ASCII-gap class-string matches, triggers and edges the spans
        of the trigger characters and of the mixed-term edge patterns, latin the stretches
        latin_windows() returned.
        """
        tables = character_tables()
        kind, fold = tables.kind, tables.fold
        radius = self._radius
        found: list[tuple[int, int]] = []
        written = self._written_pairs
        # Most gaps fail at once: the two characters around them are in no term together.
        for start, end in [(start, end) for start, end in gaps
                           if text[start] + text[end - 1] in written]:
            if self._joins_term(text, start, end - 1):
                found.append((start - radius, end + radius))
        for start, end in triggers:
            char = text[start]
            if kind.get(char, WORD) == SOFT:
                around = self._around(text, start, end)
                if around is not None and self._joins_term(text, *around):
                    found.append((start - radius, end + radius))
            else:
                folded = fold.get(char, char)
                if self._could_continue(text, start, end, folded):
                    wide = self._latin_radius if folded.isascii() else radius
                    found.append((start - wide, end + wide))
        for start, end in edges:
            found.append((start - radius, end + radius))
        found += latin
        return _merge(found, len(text))

    def _around(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Return the word characters either side of the separator run holding [start, end).

        None when a side has none, or the run is longer than a term may skip.
        """
        kind = character_tables().kind
        left = start - 1
        while left >= 0 and kind.get(text[left], WORD) == SOFT:
            left -= 1
        right = end
        while right < len(text) and kind.get(text[right], WORD) == SOFT:
            right += 1
        if left < 0 or right >= len(text) or right - left - 1 > self.max_run:
            return None
        if kind.get(text[left], WORD) != WORD or kind.get(text[right], WORD) != WORD:
            return None
        return left, right

    def _collect(self, text: str, index: int, step: int) -> str:
        """Return up to two folded characters of the word run at index, going by step."""
        tables = character_tables()
        kind, fold = tables.kind, tables.fold
        picked = ""
        run = 0
        position = index
        while 0 <= position < len(text) and len(picked) < 2:
            char = text[position]
            char_kind = kind.get(char, WORD)
            if char_kind == SOFT:
                run += 1
                if run > self.max_run:
                    break
            elif char_kind == WORD:
                run = 0
                folded = fold.get(char, char)
                picked = picked + folded if step > 0 else folded + picked
            else:
                break
            position += step
        return picked[:2] if step > 0 else picked[-2:]

    def _joins_term(self, text: str, left: int, right: int) -> bool:
        """Return whether the words ending at left and starting at right could be one term."""
        keys = self.split_keys
        before = text[max(0, left - 1):left + 1]
        after = text[right:right + 2]
        if not any(char in self._special for char in before + after):
            # The common case: plain characters either side, nothing to fold or skip.
            return (before + "\x00" + after in keys or before[-1:] + "\x00" + after in keys
                    or before + "\x00" + after[:1] in keys
                    or before[-1:] + "\x00" + after[:1] in keys)
        before = self._collect(text, left, -1)
        after = self._collect(text, right, 1)
        return any(b + "\x00" + a in keys
                   for b in {before, before[-1:]} if b for a in {after, after[:1]} if a)

    def _could_continue(self, text: str, start: int, end: int, folded: str) -> bool:
        if not folded or len(folded) > 1:
            return True
        before = self._collect(text, start - 1, -1)[-1:] if start > 0 else ""
        after = self._collect(text, end, 1)[:1]
        return (bool(before) and before + folded in self.pairs) or \
            (bool(after) and folded + after in self.pairs)

    def latin_windows(self, asc: bytes) -> list[tuple[int, int]]:
        """Return the stretches whose ASCII letters and digits spell a pinyin or Latin term.

        asc is text encoded as Latin-1 with "?" for every other character (one byte each); the
        engine hands it over piece by piece (scanning.PIECE_CHARS).
        """
        if self._latin is None:
            return []
        letters = asc.translate(_LOWER, _NOT_ALNUM)
        if len(letters) < self._latin_min:
            return []
        hits = self._latin.find_matches_as_indexes(letters, overlapping=True)
        if not hits:
            return []
        index = _LatinIndex(asc)
        margin = self.max_run + 1
        return [(index.position(start) - margin, index.position(end - 1) + 1 + margin)
                for _, start, end in hits]

    # -- windows -----------------------------------------------------------------------------

    def matches(self, text: str, windows: Iterable[tuple[int, int]]) -> list[EvasionMatch]:
        """Return the disguised terms found in the windows, in original offsets."""
        if self._folded is None:
            return []
        found: list[EvasionMatch] = []
        for low, high in windows:
            folded = fold_range(text, low, high, max_run=self.max_run)
            if not folded.text:
                continue
            for pattern, start, end in self._folded.find_matches_as_indexes(
                    folded.text, overlapping=True):
                match = self._accept(text, folded, pattern, start, end)
                if match is not None:
                    found.append(match)
        return found

    def _accept(self, text: str, folded: FoldedText, pattern: int, start: int,
                end: int) -> EvasionMatch | None:
        owner, is_pinyin = self._owners[pattern]
        first, last = folded.starts[start], folded.ends[end - 1]
        separated = any(folded.gaps[index] for index in range(start + 1, end))
        if not separated and not is_pinyin and text[first:last] in self.fast_forms:
            return None  # written as the term is: the term automaton reports it
        latin = folded.text[start].isascii()
        if (is_pinyin or (latin and separated)) and not _stands_alone(text, first, last):
            return None
        marks = set(folded.marks[start:end])
        kinds = tuple(kind for kind, present in (
            (PINYIN, is_pinyin), (SEPARATORS, separated), (TRADITIONAL, TRADITIONAL in marks),
            (LOOKALIKE, LOOKALIKE in marks)) if present) or (CASE,)
        return EvasionMatch(owner=owner, start=first, end=last, kinds=kinds,
                            folded=folded.text[start:end])


def _written_pairs(split_keys: Iterable[str]) -> frozenset[str]:
    """Return every two characters that can stand either side of a gap in a term, as written.

    Both may be written in simplified or traditional characters (发 as 發 or 髮), so that the
    first check of an ASCII gap needs no folding.
    """
    tables = character_tables()
    spellings: dict[str, list[str]] = {}
    for char, folded in tables.fold.items():
        if tables.fold_kind.get(char) == TRADITIONAL:
            spellings.setdefault(folded, []).append(char)
    pairs: set[str] = set()
    for key in split_keys:
        before, _, after = key.partition("\x00")
        left, right = before[-1], after[0]
        for one in (left, *spellings.get(left, ())):
            for two in (right, *spellings.get(right, ())):
                pairs.add(one + two)
    return frozenset(pairs)


def _ascii_runs(text: str) -> list[str]:
    runs: list[str] = []
    current = ""
    for char in text:
        if char.isascii() and char.isalnum():
            current += char
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def _edge_triggers(text: str, kind: dict[str, int]) -> set[str]:
    """Return "CJK character + ASCII separator" (and the reverse) at each script edge of text.

    An ASCII gap between a CJK character and a Latin one is not an ASCII gap in the class
    string's sense, so each edge of a mixed term gets its own patterns.
    """
    from .variants import traditional_forms

    separators = [chr(code) for code in range(128) if kind.get(chr(code)) == SOFT]
    triggers: set[str] = set()
    for form in [text, *traditional_forms(text)]:
        for index in range(len(form) - 1):
            left, right = form[index], form[index + 1]
            if is_han(left) and right.isascii() and right.isalnum():
                triggers.update(left + separator for separator in separators)
            elif left.isascii() and left.isalnum() and is_han(right):
                triggers.update(separator + right for separator in separators)
    return triggers


class _LatinIndex:
    """Find where the n-th ASCII letter or digit of a piece of text is (for the rare hits).

    The letters before each block are counted only as far as a hit needs.
    """

    BLOCK = 2048

    def __init__(self, piece: bytes) -> None:
        self.piece = piece
        self.before: list[int] = [0]  # letters and digits before each block counted so far

    def position(self, index: int) -> int:
        """Return the offset in the piece of the index-th letter or digit (from 0)."""
        before, piece, size = self.before, self.piece, self.BLOCK
        while before[-1] <= index and (len(before) - 1) * size < len(piece):
            start = (len(before) - 1) * size
            before.append(before[-1] + len(piece[start:start + size].translate(None, _NOT_ALNUM)))
        block = bisect.bisect_right(before, index) - 1
        start = block * size
        wanted = index - before[block]
        low, high = start, min(len(piece), start + size) - 1
        while low < high:
            middle = (low + high) // 2
            if len(piece[start:middle + 1].translate(None, _NOT_ALNUM)) > wanted:
                high = middle
            else:
                low = middle + 1
        return low


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Return whether a Latin match is a whole word (no letter right before or after it)."""
    fold = character_tables().fold
    if start > 0:
        before = fold.get(text[start - 1], text[start - 1])
        if before[-1:].isascii() and before[-1:].isalpha():
            return False
    if end < len(text):
        after = fold.get(text[end], text[end])
        if after[:1].isascii() and after[:1].isalpha():
            return False
    return True


def _merge(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        low, high = max(0, low), min(length, high)
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
