"""The written forms a term is matched in: letter case and traditional characters.

Government sites publish 繁體 editions of their pages, and injected gambling text is often in
traditional characters (澳門), so each term is also matched in its traditional forms. The
forms are extra automaton patterns: they cost time only when the dictionary is compiled.
"""

from __future__ import annotations

import itertools
import threading
from functools import cache

import opencc

#: OpenCC conversions whose output a term is also matched in (mainland, Taiwan, Hong Kong
#: traditional characters; character-level, without regional phrase substitution).
TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2hk")
_lock = threading.Lock()


@cache
def _converters() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(config) for config in TRADITIONAL_CONFIGS)


def traditional_forms(text: str) -> list[str]:
    """Return the distinct traditional-character forms of text that differ from it."""
    with _lock:
        forms = [converter.convert(text) for converter in _converters()]
    return [form for form in dict.fromkeys(forms) if form != text]


def case_variants(text: str, limit: int = 64) -> list[str]:
    """Return text in the letter-case variants a scan should also match (ASCII letters only)."""
    positions = [i for i, char in enumerate(text) if char.isascii() and char.isalpha()]
    if not positions:
        return [text]
    if 2 ** len(positions) > limit:
        return list(dict.fromkeys([text, text.lower(), text.upper(), text.capitalize()]))
    variants = []
    for choice in itertools.product((str.lower, str.upper), repeat=len(positions)):
        chars = list(text)
        for position, change in zip(positions, choice, strict=True):
            chars[position] = change(chars[position])
        variants.append("".join(chars))
    return list(dict.fromkeys(variants))


def written_forms(text: str, *, traditional: bool = True) -> list[str]:
    """Return every form of a term to match: itself, its traditional forms, all letter cases."""
    forms = [text, *traditional_forms(text)] if traditional else [text]
    return list(dict.fromkeys(variant for form in forms for variant in case_variants(form)))
