"""Full-text retrieval over SearchDocument on SQLite FTS5 or PostgreSQL tsvector.

Both engines see the same analysed terms and the same boolean query, so they match the same
documents, and every set read here is cut by page id (newest first), never by an engine's own
score: totals, facets and the candidates for ranking are identical on both databases.

The work of a query is bounded, whatever it matches (a word in half of a million documents):
  * the pool: the `POOL` newest matches. The total and the facets are counted over it; when it
    is full, the query matches more, and the total is estimated from how far back in page ids
    the pool reaches (the facets scaled alike), marked not exact;
  * the candidates for ranking: the `CANDIDATES` newest matches in the title or 文号/索引号
    and the `CANDIDATES` newest matches anywhere; `rerank.score` (stored fields only) orders
    them. A query matching no more than `CANDIDATES` documents has all of them ranked.
Scoring every match (bm25, ts_rank) costs a pass over each query word's whole posting list
(bm25's document frequencies) and a read of every match: 489 ms p95 at 1,000,000 documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .analysis import Clause, Query, required_clauses

TABLE = "govsites_search_searchdocument"
FTS_TABLE = f"{TABLE}_fts"
FTS_TITLES = f"{TABLE}_fts_titles"  # the title and 文号/索引号 terms only (migration 0005)
FACETS = ("site", "column_type", "item_type", "year", "topic", "validity")
_FACET_COLUMNS = {"site": "site_id", "column_type": "column_type", "item_type": "item_type",
                  "year": "year", "topic": "topic", "validity": "validity"}
POOL = 2000  # newest matches counted for the total and the facets
CANDIDATES = 100  # newest title matches and newest matches handed to the rerank


@dataclass(frozen=True)
class Filters:
    """Facet restrictions (each: any of the values)."""

    site_ids: Sequence[int] = ()
    column_types: Sequence[str] = ()
    item_types: Sequence[str] = ()
    years: Sequence[int] = ()
    topics: Sequence[str] = ()
    validities: Sequence[str] = ()

    def sql(self, alias: str) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for column, values in (("site_id", self.site_ids), ("column_type", self.column_types),
                               ("item_type", self.item_types), ("year", self.years),
                               ("topic", self.topics), ("validity", self.validities)):
            if values:
                parts.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
                params.extend(values)
        return (" AND " + " AND ".join(parts)) if parts else "", params


@dataclass
class Hits:
    """Matching page ids in ranking order, the total and facet counts.

    `ranked` starts with the `head` candidates to rerank (engine score 1.0 for a title match),
    then the rest of the pool, newest first. `exact` is False when the total and the facets
    are estimates (the query matches more than `POOL` documents).
    """

    ranked: list[tuple[int, float]] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    head: int = 0
    exact: bool = True
    reachable: int = 0  # how many ids the pool holds (paging by relevance reaches no further)


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def match_expression(clauses: Sequence[Clause], *, vendor: str, relaxed: bool = False,
                     titles: bool = False) -> str:
    """Compile clauses into an FTS5 MATCH string or a to_tsquery string.

    `titles` restricts every token to the title and 文号/索引号 columns: an FTS5 column filter;
    on PostgreSQL the expression is asked of `title_vector`, which holds those columns only
    (migration 0006), so it is the same either way there. The same documents on both engines.
    """
    quote, and_, or_ = ((_quote_ts, " & ", " | ") if vendor == "postgresql"
                        else (_quote_fts, " AND ", " OR "))
    if not relaxed:  # all must match: a clause another implies adds work, not precision
        clauses = required_clauses(clauses)
    compiled = []
    for clause in clauses:
        options = ["(" + and_.join(quote(t) for t in alt) + ")" for alt in clause.alternatives]
        compiled.append("(" + or_.join(options) + ")")
    expression = (or_ if relaxed else and_).join(compiled)
    if titles and vendor != "postgresql":
        return "{terms_title terms_ids} : (" + expression + ")"
    return expression


def _base_sql(vendor: str) -> tuple[str, str]:
    """Return (FROM … WHERE match, rank expression) for the vendor; one %s for the query."""
    if vendor == "postgresql":
        return (f"FROM {TABLE} d, to_tsquery('simple', %s) q WHERE d.search_vector @@ q",
                "ts_rank('{0.1, 0.2, 0.8, 1.0}'::float4[], d.search_vector, q)")
    return (f"FROM {FTS_TABLE} f JOIN {TABLE} d ON d.page_id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            f"-bm25({FTS_TABLE}, 10.0, 8.0, 1.0)")


def _newest_sql(vendor: str, where: str, fts: str = FTS_TABLE) -> str:
    """SELECT the newest matching page ids; params: expression, filter values, limit. `fts`
    names the index asked (FTS_TITLES for title matches: on PostgreSQL `title_vector`)."""
    if vendor == "postgresql":
        vector = "title_vector" if fts == FTS_TITLES else "search_vector"
        return (f"SELECT d.page_id FROM {TABLE} d, to_tsquery('simple', %s) q "
                f"WHERE d.{vector} @@ q{where} ORDER BY d.page_id DESC LIMIT %s")
    if not where:  # the posting lists alone, read newest first and left at the limit
        return (f"SELECT rowid AS page_id FROM {fts} WHERE {fts} MATCH %s "
                "ORDER BY rowid DESC LIMIT %s")
    return (f"SELECT f.rowid AS page_id FROM {fts} f JOIN {TABLE} d ON d.page_id = f.rowid "
            f"WHERE {fts} MATCH %s{where} ORDER BY f.rowid DESC LIMIT %s")


def _pool_sql(newest: str, vendor: str) -> str:
    """One statement over the pool: its size, its oldest id, its newest ids, its facet counts.

    Rows are (kind, value, number): ('#', -, pool size), ('<', -, oldest id), ('', -, id) for
    the newest ids, newest first, and (facet, value, count). Params: those of `newest`, then
    how many newest ids to return.
    """
    columns = ", ".join(f"d.{c}" for c in _FACET_COLUMNS.values())
    facets = " UNION ALL ".join(
        f"SELECT '{name}', CAST({column} AS TEXT), COUNT(*) FROM hits GROUP BY {column}"
        for name, column in _FACET_COLUMNS.items())
    return (f"WITH pool AS MATERIALIZED ({newest}), "
            f"hits AS MATERIALIZED (SELECT {columns} FROM pool p "
            f"JOIN {TABLE} d ON d.page_id = p.page_id) "
            "SELECT '#', CAST(NULL AS TEXT), COUNT(*) FROM pool UNION ALL "
            "SELECT '<', CAST(NULL AS TEXT), MIN(page_id) FROM pool UNION ALL "
            "SELECT '', CAST(NULL AS TEXT), page_id FROM (SELECT page_id FROM pool "
            f"ORDER BY page_id DESC LIMIT %s) newest UNION ALL {facets}")


def _estimate(cursor: Any, size: int, oldest: int) -> int:
    """Estimate how many documents match when the pool is full: the pool's share of page ids.

    The pool holds the POOL newest matches; if the matches are spread over page ids as the
    documents are, they number POOL × (ids in the index) / (ids the pool reaches back over).
    """
    cursor.execute(f"SELECT (SELECT MIN(page_id) FROM {TABLE}), (SELECT MAX(page_id) FROM {TABLE})")
    low, high = cursor.fetchone()
    reach = high - oldest + 1
    return max(size, round(size * (high - low + 1) / max(reach, 1)))


def search(query: Query, filters: Filters, *, sort: str, limit: int, relaxed: bool = False,
           offset: int = 0) -> Hits:
    """Run one query: the ranking candidates (or, by date, one page), the total and facets.

    By relevance, `ranked` holds the candidates to rerank and then the rest of the pool (up to
    POOL ids: paging reaches no further). By date, `ranked` is the page `offset`…`offset +
    limit` by publication date, from its own query (which the (site, published_at) index serves).
    """
    vendor = connection.vendor
    expression = match_expression(query.clauses, vendor=vendor, relaxed=relaxed)
    where, params = filters.sql("d")
    hits = Hits()
    newest = _newest_sql(vendor, where)
    prefix = min(POOL, limit + 2 * CANDIDATES)
    with connection.cursor() as cursor:
        cursor.execute(_pool_sql(newest, vendor), [expression, *params, POOL, prefix])
        size = oldest = 0
        pool: list[int] = []
        for kind, value, number in cursor.fetchall():
            if kind == "#":
                size = int(number)
            elif kind == "<":
                oldest = int(number or 0)
            elif kind == "":
                pool.append(int(number))
            elif value is not None and value != "":
                hits.facets.setdefault(kind, {})[str(value)] = int(number)
        pool.sort(reverse=True)
        hits.total = hits.reachable = size
        if size == POOL:
            hits.exact = False
            hits.total = _estimate(cursor, size, oldest)
            hits.facets = {name: {value: round(count * hits.total / POOL)
                                  for value, count in counts.items()}
                           for name, counts in hits.facets.items()}
        if sort == "date":
            base, rank = _base_sql(vendor)
            cursor.execute(f"SELECT d.page_id, {rank} {base}{where} ORDER BY d.published_at DESC, "
                           "d.page_id DESC LIMIT %s OFFSET %s", [expression, *params, limit, offset])
            hits.ranked = [(int(pk), float(score or 0.0)) for pk, score in cursor.fetchall()]
            return hits
        titled: list[int] = []
        if size:
            cursor.execute(_newest_sql(vendor, where, FTS_TITLES),
                           [match_expression(query.clauses, vendor=vendor, relaxed=relaxed,
                                             titles=True), *params, CANDIDATES])
            titled = [int(row[0]) for row in cursor.fetchall()]
    head = list(dict.fromkeys([*titled, *pool[:CANDIDATES]]))
    in_title = set(titled)
    chosen = set(head)
    hits.head = len(head)
    hits.ranked = [(pk, 1.0 if pk in in_title else 0.0) for pk in head] + [
        (pk, 0.0) for pk in pool if pk not in chosen]
    return hits


def documents_matching_any(tokens: Sequence[str]) -> int:
    """Count documents holding any of the tokens (for "did you mean": is a word known?)."""
    if not tokens:
        return 0
    vendor = connection.vendor
    expression = match_expression([Clause(((t,),)) for t in tokens], vendor=vendor, relaxed=True)
    base, _rank = _base_sql(vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT 1000) x", [expression])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
