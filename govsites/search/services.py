"""Writes of the search app: the public index, and the anonymous daily search counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, Site

from govsites.core import audit as core_audit

from . import audit, pipeline
from .documents import TERM_FIELDS, document_fields, is_searchable
from .engine import FTS_TABLE, FTS_TITLES, TABLE
from .models import QueryStat, SearchDocument

BATCH = 500
#: Parameters in one INSERT statement (SQLite allows 32,766; PostgreSQL 65,535).
INSERT_PARAMETERS = 30000
QUERY_STAT_MAX_LENGTH = 100
#: FTS5's own default: merge a level's segments once it holds this many (restored after a bulk
#: write switches merging off).
FTS5_AUTOMERGE = 4


@contextmanager
def bulk_indexing() -> Iterator[None]:
    """Write many index rows at once (a rebuild), then leave the index compact for queries.

    SQLite: FTS5 merges segments a little after every write (automerge), and during a bulk
    write it keeps merging what the next batches make bigger again. While the caller writes,
    automerge is off (FTS5's crisis merge still bounds the segments per level); afterwards each
    full-text index is merged into one b-tree (`optimize`) and merging is restored, the planner's
    statistics are refreshed and, outside a transaction, the write-ahead log is checkpointed into
    the database file, so the first queries after a rebuild read one compact index rather than
    dozens of segments and a log of a gigabyte. PostgreSQL: the table is analysed afterwards.
    """
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        _fts_setting("automerge", 0)
    try:
        yield
    finally:
        if sqlite:
            _fts_setting("automerge", FTS5_AUTOMERGE)
    with connection.cursor() as cursor:
        if sqlite:
            for fts in (FTS_TABLE, FTS_TITLES):
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
        cursor.execute(f"ANALYZE {TABLE}")
        if sqlite and not connection.in_atomic_block:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _fts_setting(name: str, value: int) -> None:
    with connection.cursor() as cursor:
        for fts in (FTS_TABLE, FTS_TITLES):
            cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES (%s, %s)", [name, value])


def insert_documents(documents: list[SearchDocument]) -> None:
    """Insert new index rows in multi-row INSERTs (the caller's transaction; the FTS tables
    follow through their triggers, the tsvector through its own).

    What bulk_create does, without its per-value field machinery (a fifth of indexing time),
    in multi-row INSERTs (an executemany of one-row INSERTs is slower on SQLite):
    `indexed_at` is stamped once for the batch, date-times are adapted as the backend adapts
    them, every other column is a str, an int or None already.
    """
    if not documents:
        return
    fields = list(SearchDocument._meta.concrete_fields)
    stamp = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    dated = {f.attname for f in fields if isinstance(f, models.DateTimeField)}
    names = [f.attname for f in fields]
    rows = []
    for document in documents:
        document.indexed_at = stamp
        rows.append([adapt(getattr(document, n)) if n in dated else getattr(document, n)
                     for n in names])
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(SearchDocument._meta.db_table)} "
            f"({', '.join(quote(str(f.column)) for f in fields)}) VALUES ")
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, INSERT_PARAMETERS // len(fields))  # rows in one multi-row INSERT
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([row_marks] * len(chunk)),
                           [value for row in chunk for value in row])


def index_documents(batches: Iterable[tuple[list[SearchDocument], list[int]]], *,
                    jobs: int = 1,
                    progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Write batches of (new documents, page ids to drop); return (indexed, dropped).

    Each document's TERM_FIELDS hold the texts to analyse and receive their analysed form
    (analysed in jobs - 1 other processes while this one writes, when jobs > 1: see
    `pipeline`). Each batch replaces its pages' rows in a transaction of its own;
    `progress(pages)` is called after each with the number of pages it covered.
    """
    indexed = dropped = 0
    work = ((batch, [tuple(getattr(d, name) for name in TERM_FIELDS) for d in batch[0]])
            for batch in batches)
    for (documents, drop), terms in pipeline.analysed(work, jobs=jobs):
        for document, analysed in zip(documents, terms, strict=True):
            for name, value in zip(TERM_FIELDS, analysed, strict=True):
                setattr(document, name, value)
        with transaction.atomic():
            SearchDocument.objects.filter(pk__in=[d.pk for d in documents] + drop).delete()
            insert_documents(documents)
        indexed += len(documents)
        dropped += len(drop)
        if progress is not None:
            progress(len(documents) + len(drop))
    return indexed, dropped


def _page_batches(ids: list[int]) -> Iterator[tuple[list[SearchDocument], list[int]]]:
    """The documents of the searchable pages among ids (texts not yet analysed), and the rest
    of the ids, BATCH ids at a time."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        pages = {p.pk: p for p in Page.objects.filter(pk__in=chunk).specific()}
        keep: list[SearchDocument] = []
        drop: list[int] = []
        for pk in chunk:
            page = pages.get(pk)
            fields = (document_fields(page)
                      if page is not None and is_searchable(page) else None)
            if fields is None:
                drop.append(pk)
            else:
                keep.append(SearchDocument(page_id=pk, **fields))
        yield keep, drop


def update_index(*, page_ids: Iterable[int], removed_ids: Iterable[int] = ()) -> dict[str, int]:
    """Bring the index in line with pages just (re)published or taken down.

    A page that is live, not withdrawn and an item is (re)indexed; anything else among the ids
    (withdrawn, unpublished, deleted, not an item) leaves the index. Runs in the publish task
    that wrote the static files (via `pages_published`), so search and pages agree.
    Reprints follow their original: republishing an original re-indexes its aliases too.
    """
    ids = sorted(set(page_ids) | set(removed_ids))
    aliases = list(Page.objects.filter(alias_of_id__in=ids).values_list("pk", flat=True))
    ids = sorted(set(ids) | set(aliases))
    indexed, dropped = index_documents(_page_batches(ids))
    return {"indexed": indexed, "dropped": dropped}


def rebuild_index(*, acting_user: Any, site: Site | None = None, jobs: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Rebuild the public index from the page tree (one site, or the whole cluster).

    Documents of pages that no longer qualify are removed; `progress(done, total)` is called
    after each batch; with jobs > 1 the texts are analysed in jobs - 1 other processes while
    this one reads pages and writes the index. Writes one audit record.
    """
    from govsites.content.models import ContentItem

    items = ContentItem.objects.live().filter(withdrawn_at__isnull=True)
    stale = SearchDocument.objects.all()
    if site is not None:
        items = items.descendant_of(site.root_page, inclusive=True)
        stale = stale.filter(site=site)
    ids = sorted(items.values_list("pk", flat=True))
    done = [0]

    def advance(pages: int) -> None:
        done[0] += pages
        if progress is not None:
            progress(done[0], len(ids))

    with bulk_indexing():
        _drop_missing(stale, set(ids))
        indexed, dropped = index_documents(_page_batches(ids), jobs=jobs, progress=advance)
    with transaction.atomic():
        core_audit.record(action=audit.INDEX_REBUILD, actor=acting_user,
                          details={"site": site.hostname if site else "", "indexed": indexed,
                                   "dropped": dropped})
    return {"indexed": indexed, "dropped": dropped, "total": len(ids)}


def _drop_missing(documents: Any, keep: set[int]) -> None:
    gone = [pk for pk in documents.values_list("pk", flat=True).iterator() if pk not in keep]
    for start in range(0, len(gone), BATCH):
        SearchDocument.objects.filter(pk__in=gone[start:start + BATCH]).delete()


def _stat_key(query: str) -> str:
    return " ".join(query.split())[:QUERY_STAT_MAX_LENGTH]


def record_search(*, site_id: int | None, query: str, total: int,
                  day: dt.date | None = None) -> None:
    """Count one search (and whether it found nothing) for today's anonymous statistics.

    Only the query text, the site searched and the day are kept: no address, no cookie, no
    user. Statistics are not audited (they change no content and name no one).
    """
    key = _stat_key(query)
    if not key:
        return
    day = day or timezone.localdate()
    with transaction.atomic():
        stat, _ = QueryStat.objects.get_or_create(day=day, site_id_or_zero=site_id or 0,
                                                  query=key)
        QueryStat.objects.filter(pk=stat.pk).update(
            searches=F("searches") + 1,
            zero_results=F("zero_results") + (1 if total == 0 else 0))


def record_click(*, site_id: int | None, query: str, day: dt.date | None = None) -> None:
    """Count one click on a result of a query (click-through), anonymously."""
    key = _stat_key(query)
    if not key:
        return
    day = day or timezone.localdate()
    QueryStat.objects.filter(day=day, site_id_or_zero=site_id or 0, query=key).update(
        clicks=F("clicks") + 1)
