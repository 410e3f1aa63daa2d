"""Full-text retrieval over SearchDocument on SQLite FTS5 or PostgreSQL tsvector.

Both engines see the same analysed terms and the same boolean query, so they match the same
documents: totals and facets are identical. Each ranks its candidates with its own function
(FTS5 bm25 with title and 文号 weights; ts_rank with weights A/B/D), and the first
`RERANK_DEPTH` candidates are then ordered by `rerank.score`, which reads only stored fields,
so a result page is the same on both databases whenever the query matches no more than
RERANK_DEPTH documents (and in practice well beyond).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from .analysis import Clause, Query

TABLE = "govsites_search_searchdocument"
FTS_TABLE = f"{TABLE}_fts"
FACETS = ("site", "column_type", "item_type", "year", "topic", "validity")
_FACET_COLUMNS = {"site": "site_id", "column_type": "column_type", "item_type": "item_type",
                  "year": "year", "topic": "topic", "validity": "validity"}


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
    """Matching page ids in engine order (with engine scores), the total and facet counts."""

    ranked: list[tuple[int, float]] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def match_expression(clauses: Sequence[Clause], *, vendor: str, relaxed: bool = False) -> str:
    """Compile clauses into an FTS5 MATCH string or a to_tsquery string."""
    quote, and_, or_ = ((_quote_ts, " & ", " | ") if vendor == "postgresql"
                        else (_quote_fts, " AND ", " OR "))
    compiled = []
    for clause in clauses:
        options = ["(" + and_.join(quote(t) for t in alt) + ")" for alt in clause.alternatives]
        compiled.append("(" + or_.join(options) + ")")
    return (or_ if relaxed else and_).join(compiled)


def _base_sql(vendor: str) -> tuple[str, str]:
    """Return (FROM … WHERE match, rank expression) for the vendor; one %s for the query."""
    if vendor == "postgresql":
        return (f"FROM {TABLE} d, to_tsquery('simple', %s) q WHERE d.search_vector @@ q",
                "ts_rank('{0.1, 0.2, 0.8, 1.0}'::float4[], d.search_vector, q)")
    return (f"FROM {FTS_TABLE} f JOIN {TABLE} d ON d.page_id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            f"-bm25({FTS_TABLE}, 10.0, 8.0, 1.0)")


def search(query: Query, filters: Filters, *, sort: str, limit: int, relaxed: bool = False,
           offset: int = 0) -> Hits:
    """Run one query: up to `offset + limit` ranked ids, plus the total and the facet counts.

    By relevance, one statement matches once: the matching rows (score and facet columns) are
    materialised, and both the top `limit` and the six facet counts are read from them (the
    full-text match and the join were the cost, and were paid twice). By date, the ranked page
    comes from its own query, which the (site, published_at) index serves.
    """
    vendor = connection.vendor
    expression = match_expression(query.clauses, vendor=vendor, relaxed=relaxed)
    base, rank = _base_sql(vendor)
    where, params = filters.sql("d")
    hits = Hits()
    columns = ", ".join(f"d.{c}" for c in _FACET_COLUMNS.values())
    number = "DOUBLE PRECISION" if vendor == "postgresql" else "REAL"
    facet_sql = " UNION ALL ".join(
        f"SELECT '{name}', CAST({column} AS TEXT), CAST(COUNT(*) AS {number}) FROM hits "
        f"GROUP BY {column}" for name, column in _FACET_COLUMNS.items())
    with connection.cursor() as cursor:
        if sort == "date":
            cursor.execute(f"SELECT d.page_id, {rank} {base}{where} ORDER BY d.published_at DESC, "
                           "d.page_id DESC LIMIT %s OFFSET %s", [expression, *params, limit, offset])
            hits.ranked = [(int(pk), float(score or 0.0)) for pk, score in cursor.fetchall()]
            cursor.execute(f"WITH hits AS MATERIALIZED (SELECT {columns} {base}{where}) {facet_sql}",
                           [expression, *params])
            rows = cursor.fetchall()
        else:
            cursor.execute(
                f"WITH hits AS MATERIALIZED (SELECT d.page_id, CAST({rank} AS {number}) AS score, "
                f"{columns} {base}{where}) "
                f"SELECT '', CAST(page_id AS TEXT), score FROM (SELECT page_id, score FROM hits "
                "ORDER BY score DESC, page_id DESC LIMIT %s OFFSET %s) top UNION ALL "
                f"{facet_sql}", [expression, *params, limit, offset])
            rows = cursor.fetchall()
            ranked = [(int(value), float(score or 0.0)) for name, value, score in rows
                      if name == ""]
            hits.ranked = sorted(ranked, key=lambda hit: (-hit[1], -hit[0]))
        for name, value, count in rows:
            if name == "" or value is None or value == "":
                continue
            hits.facets.setdefault(name, {})[str(value)] = int(count)
    hits.total = sum(hits.facets.get("site", {}).values())
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
