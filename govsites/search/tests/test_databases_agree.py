"""SQLite and PostgreSQL give the same results on the same data.

The suite runs on one database; this test copies the index documents of the SQLite run into a
PostgreSQL database of its own (GOVSITES_SEARCH_TEST_PG, default gs_search on loopback) and
compares result lists, totals and facets query by query. Skipped with a reason when PostgreSQL
is unreachable (required under CI).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import pytest
from django.db import connection

from govsites.search import analysis, engine, rerank
from govsites.search.models import SearchDocument
from govsites.testing.tools import require

pytestmark = [pytest.mark.django_db, pytest.mark.optional_tool]
QUERIES = ["政务", "政務公開", "梅市府办函2021 236号", "怎么申请公租房", "工作", "开学 安全", "通知"]
PG_DSN = os.environ.get("GOVSITES_SEARCH_TEST_PG",
                        "host=127.0.0.1 port=5432 user=postgres dbname=gs_search")


def _pg() -> Any:
    try:
        import psycopg

        admin = psycopg.connect(PG_DSN.replace("dbname=gs_search", "dbname=postgres"),
                                autocommit=True, connect_timeout=3)
    except Exception as exc:
        require(False, f"PostgreSQL unreachable ({exc.__class__.__name__})")
        return None
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = 'gs_search'").fetchone()
        if not exists:
            admin.execute("CREATE DATABASE gs_search")
    return psycopg.connect(PG_DSN, autocommit=True)


FULLTEXT = importlib.import_module("govsites.search.migrations.0002_fulltext")
TITLE_VECTOR = importlib.import_module("govsites.search.migrations.0006_title_vector")
PG_SCHEMA = [
    "DROP TABLE IF EXISTS govsites_search_searchdocument",
    "CREATE TABLE govsites_search_searchdocument (page_id bigint PRIMARY KEY, site_id int, "
    "column_type text, item_type text, year int, topic text, validity text, "
    "published_at timestamptz, terms_title text, terms_ids text, terms_body text)",
    *FULLTEXT.POSTGRES_FORWARD,
    *TITLE_VECTOR.FORWARD,
]


def _pg_hits(pg: Any, query: analysis.Query) -> tuple[list[int], int, dict[str, dict[str, int]]]:
    expression = engine.match_expression(query.clauses, vendor="postgresql")
    ids = [r[0] for r in pg.execute(
        "SELECT page_id FROM govsites_search_searchdocument d, to_tsquery('simple', %s) q "
        "WHERE d.search_vector @@ q ORDER BY ts_rank(d.search_vector, q) DESC, page_id DESC",
        [expression]).fetchall()]
    facets: dict[str, dict[str, int]] = {}
    for name in ("site_id", "item_type", "column_type"):
        rows = pg.execute(
            f"SELECT CAST({name} AS TEXT), COUNT(*) FROM govsites_search_searchdocument d, "
            f"to_tsquery('simple', %s) q WHERE d.search_vector @@ q GROUP BY {name}",
            [expression]).fetchall()
        facets[name] = {k: v for k, v in rows if k}
    return ids, len(ids), facets


def _order(query: analysis.Query, ids: list[int]) -> list[int]:
    docs = SearchDocument.objects.in_bulk(ids)
    return [c.page_id for c, _s in rerank.order(query, [rerank.Candidate(
        d.pk, d.terms_title, d.terms_ids, d.terms_body, d.document_number, d.title,
        d.published_at, d.text) for d in docs.values()])]


def test_sqlite_and_postgresql_return_the_same_results(library: dict[str, Any]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("compares the SQLite run against PostgreSQL; this run is on PostgreSQL")
    pg = _pg()
    with pg:
        for sql in PG_SCHEMA:
            pg.execute(sql)
        for d in SearchDocument.objects.all():
            pg.execute("INSERT INTO govsites_search_searchdocument VALUES "
                       "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                       [d.pk, d.site_id, d.column_type, d.item_type, d.year, d.topic,
                        d.validity, d.published_at, d.terms_title, d.terms_ids, d.terms_body])
        titled = 0
        for text in QUERIES:
            query = analysis.parse_query(text)
            lite = engine.search(query, engine.Filters(), sort="relevance", limit=100)
            pg_ids, pg_total, pg_facets = _pg_hits(pg, query)
            assert lite.total == pg_total, text
            assert lite.facets.get("site", {}) == pg_facets["site_id"], text
            assert lite.facets.get("item_type", {}) == pg_facets["item_type"], text
            lite_ids = [pk for pk, _s in lite.ranked]
            assert _order(query, lite_ids) == _order(query, pg_ids), text
            # The title matches ranked first: FTS5's title index, PostgreSQL's title_vector.
            titles = engine.match_expression(query.clauses, vendor="sqlite", titles=True)
            pg_titles = engine.match_expression(query.clauses, vendor="postgresql", titles=True)
            with connection.cursor() as cursor:
                cursor.execute(engine._newest_sql("sqlite", "", engine.FTS_TITLES),
                               [titles, 1000])
                lite_titled = [row[0] for row in cursor.fetchall()]
            pg_titled = [row[0] for row in pg.execute(
                engine._newest_sql("postgresql", "", engine.FTS_TITLES),
                [pg_titles, 1000]).fetchall()]
            assert lite_titled == pg_titled, text
            titled += bool(lite_titled)
        assert titled >= 3  # the title comparison compared something
