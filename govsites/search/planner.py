"""PostgreSQL's planner and the cost of matching a tsvector (`@@`).

A search asks for the newest matches of a query (ORDER BY page_id DESC LIMIT …). PostgreSQL
can read the primary key backwards and test each document until it has enough, or read every
match from the GIN index and sort them. Testing a document means reading its tsvector back from
TOAST storage and decompressing it, yet the planner prices the match function like an
addition (cost 1), so for words in a few per cent of documents it reads backwards through tens
of thousands: 0.3 s at 100,000 documents where the index answers in 25 ms (docs/search.md).
At MATCH_COST the planner weighs the two as they are measured: the backward read for words in
most documents, the index for the rest.

The cost is a property of the database (pg_proc), not of a session: set after every
`migrate` (a database restored from a dump gets it back there), when the role may. A role that
may not (a managed service) gets a warning and the planner's default: searches stay correct,
only slower on large clusters. SQLite is not concerned.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)

MATCH_FUNCTION = "pg_catalog.ts_match_vq(tsvector, tsquery)"
MATCH_COST = 1000


def match_cost(using: str = "default") -> float | None:
    """The planner's cost of the tsvector match function, or None off PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE oid = %s::regprocedure",
                       [MATCH_FUNCTION.removeprefix("pg_catalog.")])
        row = cursor.fetchone()
    return float(row[0]) if row else None


def set_match_cost(using: str = "default") -> bool:
    """Give the match function MATCH_COST; False (and a warning) when the role may not."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    if match_cost(using) == MATCH_COST:
        return True
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"ALTER FUNCTION {MATCH_FUNCTION} COST {MATCH_COST}")
    except DatabaseError as exc:
        logger.warning("无法调整全文匹配函数的规划代价（%s）：搜索结果不变，大型站群的搜索会较慢。"
                       "请由数据库管理员执行：ALTER FUNCTION %s COST %s", exc, MATCH_FUNCTION,
                       MATCH_COST)
        return False
    return True


def after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver."""
    set_match_cost(using)
