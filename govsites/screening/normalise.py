"""Read text the way a reader does, so that a disguised term still matches.

Every character is one of three kinds:

- a *word* character (letters, digits, ideographs), which may *fold* into what a reader takes it
  for: traditional characters into simplified ones (OpenCC t2s, character by character),
  compatibility forms into their standard forms (Unicode NFKC: full-width ｂｅｔ, compatibility
  ideographs, Kangxi radicals ⾨, enclosed ㊙), letters with tone marks or accents into plain ones
  (àomén → aomen), Cyrillic and Greek look-alikes into Latin letters and radicals drawn like a
  character into it (data/normalisation.json), capitals into small letters;
- a *soft* separator (spaces of every width, zero-width and other format characters, symbols,
  dashes, dots, slashes, bars, stars), which a disguise puts between the characters of a term
  and which is skipped in runs of at most `max_separator_run` characters;
- a *hard* separator (sentence punctuation, brackets, quotes, line breaks: a reader takes them
  as a break), which is never skipped.

Only characters of `SCREENED_BLOCKS` (and ASCII) are examined one by one; others are word
characters that fold only through t2s. `CharacterTables.triggers` lists the non-ASCII
characters of those blocks that are soft separators or fold into something else: their mere
presence is what sends a neighbourhood of text to the evasion matcher (evasion.py).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .rules import DATA_DIR
from .types import Category

WORD, SOFT, HARD = 0, 1, 2
#: Fold kinds, as reported in a finding's extra["evasion"].
TRADITIONAL = "traditional"
LOOKALIKE = "lookalike"

# Zero-width and soft-hyphen characters that spam inserts inside words to slip past filters.
# The term automaton looks for them too; a text holding one is screened again without them.
INVISIBLE_CHARACTERS = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)

#: The Unicode blocks examined character by character: Latin and its diacritics, Greek,
#: Cyrillic, punctuation, symbols, arrows, shapes, dingbats, Braille (U+2800 is a blank spacer),
#: CJK radicals, CJK symbols and compatibility forms, full-width forms, mathematical letters,
#: enclosed characters and emoji. Everything else reads as itself (CJK ideographs via t2s).
#: Left out: U+204E–U+209F (rare punctuation, superscripts, subscripts) and five symbols whose
#: UTF-16 form the term automaton would find between ordinary ASCII characters all the time
#: (UNSCREENED; see evasion.py), and the half-width katakana, which disguise nothing Chinese.
SCREENED_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0080, 0x036F), (0x0370, 0x052F), (0x1E00, 0x1EFF), (0x2000, 0x204D),
    (0x20A0, 0x2BFF), (0x2E00, 0x2FFF), (0x3000, 0x303F), (0x30FB, 0x30FB),
    (0x3200, 0x33FF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60), (0xFFE0, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F2FF),
    (0x1F300, 0x1FAFF), (0x2F800, 0x2FA1F),
)
UNSCREENED = frozenset("\u2000\u2020\u2030\u3020\u3030")
_SOFT_CATEGORIES = frozenset({"Zs", "Cf", "Sm", "Sc", "Sk", "So", "Pd", "Pc", "Po"})
_HARD_CATEGORIES = frozenset({"Zl", "Zp", "Ps", "Pe", "Pi", "Pf", "Cc"})
LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


@dataclass(frozen=True)
class NormalisationData:
    """The tunable part of normalisation (data/normalisation.json)."""

    max_separator_run: int
    hard_separators: frozenset[str]
    pinyin_categories: frozenset[Category]
    pinyin_min_syllables: int
    lookalikes: dict[str, str]
    variants: dict[str, str]


@cache
def normalisation_data() -> NormalisationData:
    """Return the national normalisation settings from data/normalisation.json."""
    with (DATA_DIR / "normalisation.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    pinyin = data["pinyin"]
    return NormalisationData(
        max_separator_run=int(data["max_separator_run"]),
        hard_separators=frozenset(data["hard_separators"]),
        pinyin_categories=frozenset(Category(name) for name in pinyin["categories"]),
        pinyin_min_syllables=int(pinyin["min_syllables"]),
        lookalikes=dict(data["lookalikes"]),
        variants=dict(data["variants"]),
    )


@dataclass(frozen=True)
class CharacterTables:
    """How each character reads: separator kind, folded form, and which ones open a window."""

    kind: dict[str, int]  # SOFT or HARD; a character not in it is a word character
    fold: dict[str, str]  # word characters that read as something else ("" for a combining mark)
    fold_kind: dict[str, str]  # TRADITIONAL or LOOKALIKE, for characters in fold (case: absent)
    triggers: frozenset[str]


def is_han(char: str) -> bool:
    """Return whether char is a CJK ideograph."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def _t2s_characters() -> dict[str, str]:
    """Map each traditional ideograph to its simplified form (OpenCC t2s, one by one)."""
    import opencc

    chars = [chr(code) for low, high in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
             for code in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        return {}
    return {char: simple for char, simple in zip(chars, converted, strict=True)
            if simple != char and len(simple) == 1}


@cache
def character_tables() -> CharacterTables:
    """Build the character tables (about 30 ms, once per process)."""
    data = normalisation_data()
    t2s = _t2s_characters()
    lookalikes = data.lookalikes

    def fold_word(char: str) -> str:
        text = unicodedata.normalize("NFKC", data.variants.get(char, char))
        text = "".join(lookalikes.get(ch, ch) for ch in _strip_marks(text)).lower()
        return "".join(t2s.get(ch, ch) for ch in (lookalikes.get(ch, ch) for ch in text))

    kind: dict[str, int] = {}
    fold: dict[str, str] = {}
    fold_kind: dict[str, str] = {}
    for char, simple in t2s.items():
        fold[char] = simple
        fold_kind[char] = TRADITIONAL
    for code in range(128):
        char = chr(code)
        if char in data.hard_separators or char in LINE_BREAKS or (code < 32 and char != "\t") \
                or code == 127:
            kind[char] = HARD
        elif char.isalnum():
            if char.isupper():
                fold[char] = char.lower()
        else:
            kind[char] = SOFT
    triggers: set[str] = set()
    for low, high in SCREENED_BLOCKS:
        for code in range(low, high + 1):
            char = chr(code)
            category = unicodedata.category(char)
            if category in ("Cn", "Co", "Cs") or char in UNSCREENED:
                continue
            normal = unicodedata.normalize("NFKC", char)
            if char in data.hard_separators or char in LINE_BREAKS \
                    or category in _HARD_CATEGORIES:
                kind[char] = HARD
                continue
            reads_as_word = char in data.variants or char in lookalikes or (
                normal != char and bool(normal)
                and all(unicodedata.category(ch)[0] in "LNM" for ch in normal))
            if not reads_as_word and category in _SOFT_CATEGORIES:
                kind[char] = SOFT
                if char not in INVISIBLE_CHARACTERS:
                    triggers.add(char)
                continue
            folded = "" if category in ("Mn", "Me") else fold_word(char)
            if folded != char:
                fold[char] = folded
                fold_kind[char] = LOOKALIKE
                triggers.add(char)
    return CharacterTables(kind=kind, fold=fold, fold_kind=fold_kind,
                           triggers=frozenset(triggers))


@lru_cache(maxsize=1 << 16)
def fold_term(text: str) -> str:
    """Return a term as the matcher compares it: folded, separators dropped."""
    tables = character_tables()
    return "".join(tables.fold.get(char, char) for char in text
                   if tables.kind.get(char, WORD) == WORD)


_UMLAUT_SYLLABLES = {"lv": "lu", "nv": "nu", "lve": "lue", "nve": "nue"}


@lru_cache(maxsize=1 << 16)
def pinyin_forms(text: str, *, min_syllables: int) -> tuple[str, ...]:
    """Return the toneless pinyin spellings of a term (ü as both v and u), or () if too short.

    Uses pypinyin's phrase-aware reading (娱乐 yule, 百家乐 baijiale); Latin letters and
    digits in the term are kept as they are (北京赛车pk10 → beijingsaichepk10).
    """
    if sum(1 for char in text if is_han(char)) < min_syllables:
        return ()
    from pypinyin import Style, lazy_pinyin

    syllables = [fold_term(syllable) for syllable in
                 lazy_pinyin(text, style=Style.NORMAL, errors="default")]
    forms = ["".join(syllables),
             "".join(_UMLAUT_SYLLABLES.get(syllable, syllable) for syllable in syllables)]
    forms = ["".join(char for char in form if char.isascii() and char.isalnum())
             for form in forms]
    return tuple(dict.fromkeys(form for form in forms if form))


@dataclass
class FoldedText:
    """A stretch of text as the matcher reads it, with the way back to the original.

    chars[i] came from the original character at starts[i] (ends[i] is past it and any
    combining marks after it); gaps[i] separators were skipped just before it; marks[i] says
    how it was folded ("" when it reads as itself or only changed case). A run of separators
    longer than allowed, or a hard separator, becomes a NUL character that no term contains.
    """

    text: str
    starts: list[int]
    ends: list[int]
    gaps: list[int]
    marks: list[str]


def fold_range(text: str, low: int, high: int, *, max_run: int) -> FoldedText:
    """Fold text[low:high] (see FoldedText)."""
    tables = character_tables()
    kind, fold, fold_kind = tables.kind, tables.fold, tables.fold_kind
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    gaps: list[int] = []
    marks: list[str] = []
    run = 0
    for index in range(low, high):
        char = text[index]
        char_kind = kind.get(char, WORD)
        if char_kind == SOFT:
            run += 1
            continue
        if char_kind == HARD or run > max_run:
            chars.append("\x00")
            starts.append(index)
            ends.append(index)
            gaps.append(0)
            marks.append("")
            run = 0
            if char_kind == HARD:
                continue
        folded = fold.get(char)
        if folded is None:
            chars.append(char)
            starts.append(index)
            ends.append(index + 1)
            gaps.append(run)
            marks.append("")
        elif not folded:  # a combining mark belongs to the character before it
            if ends:
                ends[-1] = index + 1
            continue
        else:
            mark = fold_kind.get(char, "")
            for position, folded_char in enumerate(folded):
                chars.append(folded_char)
                starts.append(index)
                ends.append(index + 1)
                gaps.append(run if position == 0 else 0)
                marks.append(mark)
        run = 0
    return FoldedText("".join(chars), starts, ends, gaps, marks)
