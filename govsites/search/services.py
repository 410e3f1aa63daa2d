"""Writes of the search app: the public index, and the anonymous daily search counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, Site

from govsites.core import audit as core_audit

from . import audit
from .documents import document_fields, is_searchable
from .models import QueryStat, SearchDocument

BATCH = 500
#: Parameters in one INSERT statement (SQLite allows 32,766; PostgreSQL 65,535).
INSERT_PARAMETERS = 30000
QUERY_STAT_MAX_LENGTH = 100


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


def _index_batch(ids: list[int]) -> tuple[int, int]:
    """Index the searchable pages among ids and drop the rest; return (indexed, dropped)."""
    pages = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
    keep: list[SearchDocument] = []
    drop: list[int] = []
    for pk in ids:
        page = pages.get(pk)
        fields = document_fields(page) if page is not None and is_searchable(page) else None
        if fields is None:
            drop.append(pk)
        else:
            keep.append(SearchDocument(page_id=pk, indexed_at=timezone.now(), **fields))
    with transaction.atomic():
        SearchDocument.objects.filter(pk__in=[d.pk for d in keep] + drop).delete()
        insert_documents(keep)
    return len(keep), len(drop)


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
    indexed = dropped = 0
    for start in range(0, len(ids), BATCH):
        done, gone = _index_batch(ids[start:start + BATCH])
        indexed += done
        dropped += gone
    return {"indexed": indexed, "dropped": dropped}


def rebuild_index(*, acting_user: Any, site: Site | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Rebuild the public index from the page tree (one site, or the whole cluster).

    Documents of pages that no longer qualify are removed; `progress(done, total)` is called
    after each batch. Writes one audit record.
    """
    from govsites.content.models import ContentItem

    items = ContentItem.objects.live().filter(withdrawn_at__isnull=True)
    stale = SearchDocument.objects.all()
    if site is not None:
        items = items.descendant_of(site.root_page, inclusive=True)
        stale = stale.filter(site=site)
    ids = sorted(items.values_list("pk", flat=True))
    _drop_missing(stale, set(ids))
    indexed = dropped = 0
    for start in range(0, len(ids), BATCH):
        done, gone = _index_batch(ids[start:start + BATCH])
        indexed += done
        dropped += gone
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
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
