"""The final order of the best candidates, computed from stored fields only.

Engines rank differently (bm25 vs ts_rank); this score reads the analysed terms of the
candidates, so SQLite and PostgreSQL order a result page the same way. It rewards, per clause:
a match in the title (most), in the 发文字号/索引号, and in the body (saturating with frequency);
longer words weigh more than single characters. A query that spells a document number
(in any width or brackets) puts that document first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .analysis import Clause, Query, normalise

_COMPACT = re.compile(r"[\s\W_]+")
TITLE, IDS, BODY = 10.0, 8.0, 3.0
BODY_SATURATION = 3.0
DOCUMENT_NUMBER_BONUS = 100.0
WHOLE_QUERY_IN_TITLE_BONUS = 6.0
WHOLE_QUERY_IN_TEXT_BONUS = 4.0  # the query as typed (less spaces) occurs in the body text


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Normalised text without spaces or punctuation (for document-number equality).

    Cached: each query compares its own text with a hundred candidates' titles and numbers,
    and OpenCC's conversion was most of the rerank's time."""
    return _COMPACT.sub("", normalise(text))


@lru_cache(maxsize=1024)
def _phrase(text: str) -> str:
    return "".join(normalise(text).split())


_TOKEN_TEXT = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]+")


def _may_hold(terms: str, wanted: str) -> bool:
    """False when the analysed field lacks a character of `wanted`, so its normalised text
    cannot hold it: the check that spares most candidates the 简繁 conversion of their title
    (a title seldom repeats, so `compact`'s cache does not). Only for text of token characters
    (ASCII lower-case letters and digits, Han), which the analysed field keeps every one of."""
    return not _TOKEN_TEXT.fullmatch(wanted) or set(wanted) <= set(terms)


@dataclass(frozen=True)
class Candidate:
    page_id: int
    terms_title: str
    terms_ids: str
    terms_body: str
    document_number: str
    title: str
    published_at: Any
    text: str = ""


def _field(terms: str) -> str:
    """A field's token list as text to count tokens in: each token between its own two spaces
    (the stored list is single-spaced, and counting " t " there would miss the second of two
    equal neighbours, whose space the first one took)."""
    return "  " + terms.replace(" ", "  ") + "  "


def _matches(clause: Clause, field_text: str) -> int:
    """How often the clause's best alternative occurs in a field (0 when no alternative fully
    matches); `field_text` as `_field` makes it. Counting a query's few tokens in the text is
    done in C; splitting and counting a body's hundreds of tokens was most of the rerank."""
    best = 0
    for alt in clause.alternatives:
        least = min((field_text.count(f" {t} ") for t in alt), default=0)
        best = max(best, least)
    return best


def _weight(clause: Clause) -> float:
    return 1.0 + 0.5 * min(len(clause.source or "x") - 1, 4)


def score(query: Query, candidate: Candidate) -> float:
    """Return the candidate's score for the query (higher first)."""
    title = _field(candidate.terms_title)
    ids = _field(candidate.terms_ids)
    body = _field(candidate.terms_body)
    total = 0.0
    for clause in query.clauses:
        weight = _weight(clause)
        if _matches(clause, title):
            total += TITLE * weight
        if _matches(clause, ids):
            total += IDS * weight
        tf = _matches(clause, body)
        if tf:
            total += BODY * weight * tf / (tf + BODY_SATURATION)
    wanted = compact(query.text)
    if wanted and candidate.document_number and compact(candidate.document_number) == wanted:
        total += DOCUMENT_NUMBER_BONUS
    if len(wanted) >= 2 and _may_hold(candidate.terms_title, wanted) \
            and wanted in compact(candidate.title):
        total += WHOLE_QUERY_IN_TITLE_BONUS
    phrase = _phrase(query.text)
    if len(phrase) >= 3 and phrase in candidate.text:
        total += WHOLE_QUERY_IN_TEXT_BONUS
    return round(total, 6)


def order(query: Query, candidates: list[Candidate]) -> list[tuple[Candidate, float]]:
    """Sort candidates by score, then newest, then page id (a total, stable order)."""
    scored = [(c, score(query, c)) for c in candidates]
    scored.sort(key=lambda cs: (-cs[1], -(cs[0].published_at.timestamp()
                                          if cs[0].published_at else 0), -cs[0].page_id))
    return scored
