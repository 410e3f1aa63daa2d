"""Wagtail's database search backend with the Chinese analyser (`WAGTAILSEARCH_BACKENDS`).

The admin (资源库, page chooser, images, documents, snippets) searches through Wagtail's search
framework. Wagtail's database backend keeps a run of Han characters as one token, so 政务 does
not find 关于政务公开工作的通知. This backend keeps Wagtail's index tables and query compilers
and changes only the text on both sides: indexed values pass through `analysis.index_text`,
and a query string becomes an AND of clauses (a word, or its bigrams when it is long) built
with Wagtail's own query classes. SQLite (FTS5) and PostgreSQL (tsvector) are both covered;
the backend is chosen by the default database's vendor, as Wagtail's `database` backend does.

The public search has its own index (`search.models.SearchDocument`): live, published items
only, with the facet columns; see docs/search.md.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.utils.html import strip_tags
from modelsearch.query import And, MatchAll, Or, PlainText, SearchQuery

from . import analysis

_swap_lock = threading.RLock()


def analysed_query(query: Any) -> Any:
    """Return a Wagtail query with every plain-text part analysed (str or query object)."""
    if isinstance(query, str):
        parsed = analysis.parse_query(query)
        if parsed.empty:
            return MatchAll() if not query.strip() else PlainText(analysis.normalise(query))
        parts: list[SearchQuery] = []
        for clause in parsed.clauses:
            options = [PlainText(" ".join(alt), operator="and") for alt in clause.alternatives]
            parts.append(options[0] if len(options) == 1 else Or(options))
        return parts[0] if len(parts) == 1 else And(parts)
    if isinstance(query, PlainText):
        inner = analysed_query(query.query_string)
        if query.operator == "or" and isinstance(inner, And):
            return Or(inner.subqueries)
        return inner
    if isinstance(query, And | Or):
        return type(query)([analysed_query(q) for q in query.subqueries])
    return query


def _analysing_indexer(base: type) -> type:
    class AnalysingObjectIndexer(base):
        """Index the analysed form of every value (tokens joined by spaces)."""

        def prepare_value(self, value: Any) -> str:
            text = str(super().prepare_value(value))
            return analysis.index_text(strip_tags(text) if "<" in text else text)

    return AnalysingObjectIndexer


@contextmanager
def _indexer_swapped(module: Any, indexer: type) -> Iterator[None]:
    # modelsearch builds `ObjectIndexer(obj, backend)` by module-level name inside add_items;
    # the analysing subclass stands in for it while this backend indexes.
    with _swap_lock:
        original = module.ObjectIndexer
        module.ObjectIndexer = indexer
        try:
            yield
        finally:
            module.ObjectIndexer = original


class _AnalysingMixin:
    def _search(self, query_compiler_class: Any, query: Any, model_or_queryset: Any,
                **kwargs: Any) -> Any:
        kwargs["operator"] = None  # the analysed query carries its own operators
        return super()._search(  # type: ignore[misc]
            query_compiler_class, analysed_query(query), model_or_queryset, **kwargs)


def _sqlite_backend(params: dict[str, Any]) -> Any:
    from modelsearch.backends.database.sqlite import sqlite as module

    indexer = _analysing_indexer(module.ObjectIndexer)

    class ChineseSQLiteIndex(module.SQLiteIndex):
        def add_items(self, model: Any, objs: Any) -> None:
            with _indexer_swapped(module, indexer):
                super().add_items(model, objs)

    class ChineseSQLiteSearchBackend(_AnalysingMixin, module.SQLiteSearchBackend):
        index_class = ChineseSQLiteIndex

    return ChineseSQLiteSearchBackend(params)


def _postgres_backend(params: dict[str, Any]) -> Any:
    from modelsearch.backends.database.postgres import postgres as module

    indexer = _analysing_indexer(module.ObjectIndexer)

    class ChinesePostgresIndex(module.PostgresIndex):
        def add_items(self, model: Any, objs: Any) -> None:
            with _indexer_swapped(module, indexer):
                super().add_items(model, objs)

    class ChinesePostgresSearchBackend(_AnalysingMixin, module.PostgresSearchBackend):
        index_class = ChinesePostgresIndex

    params = {"SEARCH_CONFIG": "simple", **params}  # no stemming: tokens are pre-segmented
    return ChinesePostgresSearchBackend(params)


def SearchBackend(params: dict[str, Any]) -> Any:
    """Return the Chinese backend for the default database (SQLite FTS5 or PostgreSQL)."""
    if connection.vendor == "postgresql":
        return _postgres_backend(params)
    if connection.vendor == "sqlite":
        return _sqlite_backend(params)
    raise NotImplementedError("govsites.search.wagtail_backend supports SQLite and PostgreSQL")
