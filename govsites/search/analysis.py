"""The Chinese analyser: one normalisation and one segmentation for index and query alike.

Text is normalised before it is segmented: NFKC (full-width letters and digits become
half-width), lower case, 繁体 → 简体 (OpenCC t2s), and brackets of every width (〔〕[]【】()（）)
become spaces, so 梅市府办函〔2021〕236号, 梅市府办函[2021]236号 and 梅市府办函2021 236号 give the
same tokens. Segmentation is rjieba's search granularity (`cut_for_search`: a compound and its
words). Every run of Han characters is also indexed as character bigrams, so a sub-word that
jieba segments differently in the document (公租 in 公租房申请, 府办 in 市府办) is still found:
a query word matches as itself or as all of its bigrams.

The index side stores the tokens joined by spaces (SQLite FTS5 unicode61 and PostgreSQL's
`simple` configuration split on the spaces and keep each Han token whole). The query side
returns a `Query`: clauses that must all match, each a set of alternatives (a word, its
bigrams, its synonyms).
"""

from __future__ import annotations

import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import opencc
import rjieba

_BRACKETS = re.compile("[" + re.escape("〔〕[]【】()（）〈〉《》「」『』{}<>") + "]")
# Full-width ASCII forms and the ideographic space: NFKC maps each to one ASCII character.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_TOKEN = re.compile(r"[0-9a-z]+|[\u3400-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_local = threading.local()
MAX_BIGRAM_SOURCE = 12  # a longer query word (rare) is matched as itself only


def _t2s() -> opencc.OpenCC:
    conv = getattr(_local, "t2s", None)
    if conv is None:
        conv = opencc.OpenCC("t2s")
        _local.t2s = conv
    return conv


def _half_width(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def normalise(text: str) -> str:
    """Return text in the analyser's canonical form (half-width, lower case, 简体, no brackets).

    The result is NFKC's. Chinese text is rarely NFKC-normal only because of its full-width
    punctuation (，：；), and NFKC of a whole text was a fifth of indexing time: those forms are
    replaced by their ASCII images first (what NFKC makes of them), and the full NFKC runs only
    on a text that is still not normal after that."""
    text = _FULL_WIDTH.sub(_half_width, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _BRACKETS.sub(" ", text.lower())
    return _t2s().convert(text) if _HAN.search(text) else text


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Query words that carry no meaning for retrieval (search/data/stopwords.txt)."""
    raw = resources.files("govsites.search").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in raw.splitlines()
                     if line.strip() and not line.startswith("#"))


def _words(normalised: str) -> list[str]:
    """Segment normalised text into tokens (letters/digits runs and Han words)."""
    # One pass over the pieces joined by spaces (a token never spans a space): the same tokens,
    # in the same order, as a findall per piece, without a Python call per piece.
    return _TOKEN.findall(" ".join(rjieba.cut_for_search(normalised)))


def bigrams(word: str) -> list[str]:
    """Character bigrams of a Han word of three or more characters (a pair is its own)."""
    if len(word) < 3 or len(word) > MAX_BIGRAM_SOURCE or not _HAN.match(word):
        return []
    return [word[i:i + 2] for i in range(len(word) - 1)]


_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


def index_tokens(text: str) -> list[str]:
    """Return the tokens to index for a text: its words, then the bigrams of its Han runs."""
    norm = normalise(text)
    out = _words(norm)
    for run in _HAN_RUN.findall(norm):
        out.extend(map(operator.add, run, run[1:]))  # its character pairs, in order
    return out


def index_text(text: str) -> str:
    """Return the indexable form of a text: its tokens joined by spaces."""
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class Clause:
    """One required part of a query: any alternative matches (each alternative: all tokens)."""

    alternatives: tuple[tuple[str, ...], ...]
    source: str = ""

    def tokens(self) -> list[str]:
        return [t for alt in self.alternatives for t in alt]


@dataclass(frozen=True)
class Query:
    """An analysed query: every clause must match (or, relaxed, any)."""

    text: str
    clauses: tuple[Clause, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.clauses

    def highlight_terms(self) -> list[str]:
        """Words worth marking in a snippet, longest first."""
        terms = {t for c in self.clauses for t in c.tokens() if len(t) > 1 or not _HAN.match(t)}
        return sorted(terms, key=len, reverse=True)


def _word_clause(word: str) -> Clause:
    alternatives: list[tuple[str, ...]] = [(word,)]
    grams = bigrams(word)
    if grams:
        alternatives.append(tuple(grams))
    return Clause(tuple(alternatives), word)


def parse_query(text: str, synonyms: Mapping[str, Sequence[str]] | None = None) -> Query:
    """Analyse a query: drop stop words, expand synonyms, and give long words bigram fall-backs.

    `synonyms` maps a normalised term to its equivalents; a term found in the query (longest
    first) becomes one clause whose alternatives are the term and each equivalent.
    """
    norm = normalise(text)
    clauses: list[Clause] = []
    seen: set[tuple[tuple[str, ...], ...]] = set()

    def add(clause: Clause) -> None:
        if clause.alternatives and clause.alternatives not in seen:
            seen.add(clause.alternatives)
            clauses.append(clause)

    if synonyms:
        for term in sorted(synonyms, key=len, reverse=True):
            if term and term in norm:
                alternatives: list[tuple[str, ...]] = []
                for variant in (term, *synonyms[term]):
                    words = tuple(dict.fromkeys(_words(normalise(variant))))
                    if words and words not in alternatives:
                        alternatives.append(words)
                add(Clause(tuple(alternatives), term))
                norm = norm.replace(term, " ")
    stop = stopwords()
    found = _words(norm)
    kept = [w for w in found if w not in stop]
    for word in kept or found:
        add(_word_clause(word))
    # A word whose parts are also clauses (cut_for_search gives 市府办 and 市府) is implied by
    # them only loosely; keep both: documents carry both tokens too.
    return Query(text=text, clauses=tuple(clauses))


def _pairs(token: str) -> set[str]:
    """The tokens a document holding `token` holds too (the index keeps every character pair
    of a Han run): the token and, for a Han word, its character pairs."""
    if len(token) > 2 and _HAN_RUN.fullmatch(token):
        return {token, *map(operator.add, token, token[1:])}
    return {token}


def _implies(stronger: Clause, weaker: Clause) -> bool:
    """Say whether every document matching `stronger` matches `weaker` (in any one column)."""
    for alternative in stronger.alternatives:
        held = set().union(*map(_pairs, alternative))
        if not any(set(option) <= held for option in weaker.alternatives):
            return False
    return True


def required_clauses(clauses: Sequence[Clause]) -> tuple[Clause, ...]:
    """The clauses without those another one implies: the same documents match all of them.

    cut_for_search gives a long word and its parts (管理制度, 管理, 制度, 管理制), each a
    clause; every document holding 管理制度 (or its pairs) holds the parts, so an index
    asked for all of them reads the same long posting lists several times for nothing.
    """
    kept: list[Clause] = []
    for clause in sorted(clauses, key=lambda c: -len(c.source or "".join(c.tokens()))):
        if not any(_implies(other, clause) for other in kept):
            kept.append(clause)
    return tuple(c for c in clauses if c in kept)


@lru_cache(maxsize=1)
def default_synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The shipped synonym groups (search/data/synonyms.txt), in force on every site."""
    raw = resources.files("govsites.search").joinpath("data/synonyms.txt").read_text("utf-8")
    return tuple(tuple(t.strip() for t in line.split(",") if t.strip())
                 for line in raw.splitlines() if line.strip() and not line.startswith("#"))


def synonym_table(groups: Iterable[Iterable[str]]) -> dict[str, list[str]]:
    """Turn groups of equivalent terms into term → other terms (all normalised)."""
    table: dict[str, list[str]] = {}
    for group in groups:
        terms = list(dict.fromkeys(normalise(t).strip() for t in group if t.strip()))
        for term in terms:
            others = [t for t in terms if t != term]
            if others:
                table.setdefault(term, [])
                table[term].extend(o for o in others if o not in table[term])
    return table
