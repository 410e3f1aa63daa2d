"""Search performance at scale: the body of bench_search_perf.py, run in a process whose Django
is set up on one database (SQLite or PostgreSQL).

N generated documents go through the analyser into the public index (page ids are synthetic;
foreign-key checks are off for the bench connection; nothing else reads those rows). Their text
is recombined from the clauses of five real municipal regulations (bench/data/seed_sentences.txt,
sources cited there), so the vocabulary is that of real 政策文件 and no two documents repeat.
Then cluster-wide searches with facets through the public search function (selectors.search,
what /search/ and the API call), timed in a new process on the database the first one built
(a server's workers query an index they did not build; the building process still holds the
allocations of a million texts, which slowed its own queries by a quarter), after the
write-ahead log both indexes left is checkpointed and the written pages are flushed to disk
(the kernel's write-back of gigabytes otherwise runs during the timed queries): both sides
alike. Baseline, same run, same texts: Wagtail's default database
backend's index table (modelsearch IndexEntry: FTS5 on SQLite, tsvector on PostgreSQL, the raw
text as that backend stores it), queried with its ranking, top 10.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SENTENCES = Path(__file__).resolve().parent / "data" / "seed_sentences.txt"
COLUMN_TYPES = ["工作动态", "通知公告", "政策文件", "政策解读", "办事指南"]
ITEM_TYPES = ["articlepage", "policydocumentpage", "interpretationpage", "serviceguidepage"]
TOPICS = ["综合政务\\政务公开", "综合政务\\电子政务", "城乡建设、环境保护\\城市规划", "", ""]
START_ID = 10_000_000
BATCH = 2000  # documents per transaction
INDEX_ENTRY = "wagtailsearch_indexentry"  # wagtail.search.models.IndexEntry's table


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def clauses() -> list[str]:
    """The clauses (between ，、：) of the seed sentences: the pieces documents are built from."""
    out: list[str] = []
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        out.extend(c for c in re.split(r"[，,：:]", line) if len(c) >= 4)
    return out


class Generator:
    """Documents recombined from clauses: a title of two clauses, a body of 4-9 sentences."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pieces = clauses()

    def sentence(self) -> str:
        return "，".join(self.rng.choice(self.pieces) for _ in range(self.rng.randint(1, 3)))

    def document(self, i: int) -> tuple[str, str, str]:
        title = (self.rng.choice(self.pieces) + "的" + self.rng.choice(self.pieces))[:80]
        body = "。".join(self.sentence() for _ in range(self.rng.randint(4, 9))) + "。"
        number = f"示府办〔{2015 + i % 12}〕{i % 400 + 1}号" if i % 5 == 0 else ""
        return title, body, number


def _foreign_keys_off() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:  # PostgreSQL: foreign keys are triggers, skipped in replica mode
            cursor.execute("SET session_replication_role = replica")


def index_documents(documents: int, *, offset: int = 0) -> tuple[float, list[tuple[int, str, str]]]:
    """Analyse and insert `documents` generated documents; return (seconds, raw rows)."""
    from wagtail.models import Site

    from govsites.search import services

    gen = Generator(20261201 + offset)
    sites = list(Site.objects.values_list("pk", flat=True)) or [1]
    base = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    raw: list[tuple[int, str, str]] = []
    # The texts are generated before the clock starts (the baseline is timed on ready texts too).
    texts = [gen.document(n) for n in range(offset, offset + documents)]
    started = time.perf_counter()
    with services.bulk_indexing():  # as `govsites search rebuild` writes; its compaction is timed
        _index_texts(texts, offset, sites, base, raw)
    return time.perf_counter() - started, raw


def _index_texts(texts: list[tuple[str, str, str]], offset: int, sites: list[int],
                 base: dt.datetime, raw: list[tuple[int, str, str]]) -> None:
    """Write the documents as `govsites search rebuild` does (services.index_documents, texts
    analysed in another process while this one writes: the command's default on 2 cores)."""
    from govsites.search import pipeline, services
    from govsites.search.models import SearchDocument

    def batches() -> Iterator[tuple[list[SearchDocument], list[int]]]:
        batch: list[SearchDocument] = []
        for n, (title, body, number) in enumerate(texts, start=offset):
            published = base + dt.timedelta(minutes=5 * n)
            batch.append(SearchDocument(
                page_id=START_ID + n, site_id=sites[n % len(sites)], column_id=None,
                column_title=COLUMN_TYPES[n % 5], column_type=COLUMN_TYPES[n % 5],
                item_type=ITEM_TYPES[n % 4], year=published.year, published_at=published,
                topic=TOPICS[n % 5], validity="in_force" if n % 4 == 1 else "", title=title,
                url_path=f"/bench/{n}.html", document_number=number, index_no="", text=body,
                terms_title=title, terms_ids=number, terms_body=body))
            raw.append((START_ID + n, title, body))
            if len(batch) == BATCH:
                yield batch, []
                batch = []
        if batch:
            yield batch, []

    services.index_documents(batches(), jobs=pipeline.default_jobs())


def default_backend_index(rows: list[tuple[int, str, str]]) -> float:
    """Insert the same texts as Wagtail's default database backend stores them; seconds."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    ct = ContentType.objects.get(app_label="content", model="articlepage").pk
    if connection.vendor == "postgresql":  # as its add_items writes them (config 'simple')
        sql = (f"INSERT INTO {INDEX_ENTRY} (content_type_id, object_id, title, autocomplete, "
               "body, title_norm, title_text, body_text) VALUES (%s, %s, "
               "setweight(to_tsvector('simple', %s), 'A'), to_tsvector('simple', %s), "
               "setweight(to_tsvector('simple', %s), 'D'), 1.0, %s, %s)")
        params = [(ct, str(pk), title, title, body, title, body) for pk, title, body in rows]
    else:  # FTS5 table kept by the backend's triggers
        sql = (f"INSERT INTO {INDEX_ENTRY} (content_type_id, object_id, title, autocomplete, "
               "body, title_norm) VALUES (%s, %s, %s, %s, %s, 1.0)")
        params = [(ct, str(pk), title, title, body) for pk, title, body in rows]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start:start + 2000])
    return time.perf_counter() - started


def default_backend_query(q: str) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id, ts_rank(body, q) FROM {INDEX_ENTRY}, "
                "plainto_tsquery('simple', %s) q WHERE body @@ q ORDER BY 2 DESC LIMIT 10", [q])
        else:
            terms = " AND ".join('"' + t.replace('"', '""') + '"' for t in q.split())
            cursor.execute(
                f"SELECT rowid, bm25({INDEX_ENTRY}_fts) FROM {INDEX_ENTRY}_fts "
                f"WHERE {INDEX_ENTRY}_fts MATCH %s ORDER BY 2 LIMIT 10", [terms])
        return cursor.fetchall()


def query_words(count: int) -> list[str]:
    """Queries as readers type them: one or two words of the regulations (analyser tokens)."""
    from govsites.search import analysis

    rng = random.Random(7)
    pieces = clauses()
    words = sorted({w for piece in pieces for w in analysis.index_tokens(piece) if len(w) >= 2})
    return [rng.choice(words) + ("" if i % 3 else " " + rng.choice(words)) for i in range(count)]


def performance(*, sizes: list[int], queries: int) -> None:
    from django.db import connection

    from govsites.search import pipeline

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    indexed = 0
    for size in sizes:
        _foreign_keys_off()  # on this connection (each size's ends with the connection closed)
        ours_s, raw = index_documents(size - indexed, offset=indexed)
        theirs_s = default_backend_index(raw)
        added, indexed = size - indexed, size
        del raw
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"\n{vendor}, {size:,} documents (recombined from {len(clauses()):,} clauses of "
              f"five municipal regulations); load average {load} on {os.cpu_count()} cores")
        helpers = pipeline.default_jobs() - 1
        print(f"  indexing {added:,} documents: govsites (rjieba analysis in {helpers} other "
              f"process(es) + insert, as `search rebuild`) "
              f"{added / ours_s:,.0f} documents/s; Wagtail default (raw text insert) "
              f"{added / theirs_s:,.0f} documents/s; ratio {theirs_s / ours_s:.2f}")
        if connection.vendor == "sqlite":  # the log both indexes left, for both sides alike
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        os.sync()  # the gigabytes just written reach the disk before, not while, queries are timed
        # Queried from a new process, as a server's worker queries an index it did not build
        # (this one still holds the allocations of a million texts), both sides alike.
        subprocess.run([sys.executable, str(Path(__file__).with_name("bench_search_perf.py")),
                        "--queries-only", "--queries", str(queries)], check=True)


def query_phase(queries: int) -> None:
    """Time the same queries on both indexes (warmed first, as a running server has them)."""
    from govsites.search import selectors

    picks = query_words(queries)
    for q in picks[:5]:  # warm the caches as a running server has them
        selectors.search(q)
        default_backend_query(q)
    ours: list[float] = []
    totals: list[int] = []
    for q in picks:
        t0 = time.perf_counter()
        page = selectors.search(q)
        ours.append((time.perf_counter() - t0) * 1000)
        totals.append(page.total)
    theirs: list[float] = []
    answered = 0
    for q in picks:
        t0 = time.perf_counter()
        answered += bool(default_backend_query(q))
        theirs.append((time.perf_counter() - t0) * 1000)
    print(f"  {queries} cluster-wide queries with facets (matches: median "
          f"{statistics.median(totals):,.0f}, max {max(totals):,}):")
    print(f"    govsites public search (results, 6 facets, total) p50 "
          f"{percentile(ours, 0.5):7.1f} ms  p95 {percentile(ours, 0.95):7.1f} ms")
    print(f"    Wagtail default backend (top 10 only, no facets)   p50 "
          f"{percentile(theirs, 0.5):7.1f} ms  p95 {percentile(theirs, 0.95):7.1f} ms"
          f"  (found anything for {answered} of {queries} queries; ours: "
          f"{sum(1 for t in totals if t)})")
    print(f"    p95 ratio govsites / Wagtail default: "
          f"{percentile(ours, 0.95) / max(percentile(theirs, 0.95), 0.001):.1f}×"
          f"   (targets: p95 ≤ 50 ms at 1,000,000 on SQLite; indexing ≥ 2,000/s)")
