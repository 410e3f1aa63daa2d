"""Query plans for tests: which big tables a block of code reads row by row (SQLite).

SQLite keeps no statistics unless ANALYZE runs, so it plans a query the same way on a test
database of ten pages as on a cluster of a million items: a plan that scans the page table
in a test scans it in production too, where it costs a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

BIG_TABLES = ("wagtailcore_page", "content_contentitem", "wagtailcore_revision",
              "wagtailcore_referenceindex", "publishing_publishedfile", "publishing_publishedurl")


def table_scans(sqls: Iterable[str], tables: Iterable[str] = BIG_TABLES, *,
                case_sensitive_like: bool = False) -> list[str]:
    """The plan lines (with their query) that read a whole big table, not an index range.

    case_sensitive_like: plan as the publisher's worker runs (render.prefix_like_indexes)."""
    wanted = tuple(tables)
    found = []
    with connection.cursor() as cursor:
        if case_sensitive_like:
            cursor.execute("PRAGMA case_sensitive_like = ON")
        for sql in sqls:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                detail = str(row[-1])
                words = detail.split()
                # "SCAN t" and "SCAN t USING [COVERING] INDEX i" read every row; "SEARCH t" a range.
                if len(words) >= 2 and words[0] == "SCAN" and words[1] in wanted:
                    found.append(f"{detail}: {sql[:300]}")
        if case_sensitive_like:
            cursor.execute("PRAGMA case_sensitive_like = OFF")
    return found


@contextmanager
def scans_of_big_tables(*, case_sensitive_like: bool = False) -> Iterator[list[str]]:
    """Collect the full scans of big tables made by the block's queries (SQLite only)."""
    found: list[str] = []
    with CaptureQueriesContext(connection) as queries:
        yield found
    if connection.vendor == "sqlite":
        found += table_scans((q["sql"] for q in queries.captured_queries),
                             case_sensitive_like=case_sensitive_like)
