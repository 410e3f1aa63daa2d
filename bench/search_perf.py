"""Search performance at scale (imported by bench_search.py after Django is set up; not run by itself).

N generated documents go through the analyser into the public index on SQLite (page ids are
synthetic: foreign keys are switched off for the bench connection; nothing else reads them).
Then cluster-wide searches with facets through the public search function. Baseline, same
run: the same texts in Wagtail's default backend index table (modelsearch IndexEntry + FTS5,
raw text as that backend stores it) queried with its bm25 ranking, top 10.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from pathlib import Path
from typing import Any

DJANGO_PO = "django/conf/locale/zh_Hans/LC_MESSAGES/django.po"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def corpus() -> list[str]:
    """Chinese fragments: the demo items' sentences and Django's zh_Hans messages."""
    import json
    import re

    import django

    root = Path(__file__).resolve().parents[1] / "govsites" / "demo" / "data" / "items"
    fragments: list[str] = []
    for path in sorted(root.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            fragments.append(item["title"])
            fragments.extend(s for s in re.split(r"[。\n]", item["body"]) if len(s) > 6)
    po = Path(django.__file__).resolve().parent.parent / DJANGO_PO
    for m in re.finditer(r'^msgstr "(.+)"$', po.read_text(encoding="utf-8"), re.MULTILINE):
        if re.search(r"[\u4e00-\u9fff]{4,}", m.group(1)):
            fragments.append(m.group(1))
    return fragments


def performance(*, documents: int, queries: int) -> None:
    from django.db import connection, transaction
    from wagtail.models import Site

    from govsites.search import analysis, selectors
    from govsites.search.models import SearchDocument

    rng = random.Random(20261201)
    fragments = corpus()
    sites = list(Site.objects.values_list("pk", flat=True)) or [1]
    column_types = ["工作动态", "通知公告", "政策文件", "政策解读", "办事指南"]
    item_types = ["articlepage", "policydocumentpage", "interpretationpage", "serviceguidepage"]
    base = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    print(f"\nperformance: {documents:,} generated documents from {len(fragments):,} fragments")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    start_id = 10_000_000
    batch: list[SearchDocument] = []
    raw_rows: list[tuple[int, str, str]] = []
    started = time.perf_counter()
    for i in range(documents):
        title = rng.choice(fragments)[:80]
        body = "。".join(rng.choice(fragments) for _ in range(6))
        number = f"示府办〔{2015 + i % 12}〕{i % 400 + 1}号" if i % 5 == 0 else ""
        published = base + dt.timedelta(minutes=47 * i)
        batch.append(SearchDocument(
            page_id=start_id + i, site_id=sites[i % len(sites)], column_id=None,
            column_title=column_types[i % 5], column_type=column_types[i % 5],
            item_type=item_types[i % 4], year=published.year, published_at=published,
            topic="", validity="in_force" if i % 4 == 1 else "", title=title,
            url_path=f"/bench/{i}.html", document_number=number, index_no="", text=body,
            terms_title=analysis.index_text(title), terms_ids=analysis.index_text(number),
            terms_body=analysis.index_text(body)))
        raw_rows.append((start_id + i, title, body))
        if len(batch) == 2000:
            with transaction.atomic():
                SearchDocument.objects.bulk_create(batch)
            batch = []
    if batch:
        with transaction.atomic():
            SearchDocument.objects.bulk_create(batch)
    elapsed = time.perf_counter() - started
    print(f"  govsites index (analyse + insert, SQLite): {documents / elapsed:,.0f} documents/s "
          f"({elapsed:.1f} s)")
    started = time.perf_counter()
    _default_backend_rows(raw_rows)
    baseline_elapsed = time.perf_counter() - started
    print(f"  Wagtail default index (raw text insert): {documents / baseline_elapsed:,.0f} "
          f"documents/s ({baseline_elapsed:.1f} s)")

    words = [w for f in rng.sample(fragments, min(400, len(fragments)))
             for w in analysis.index_tokens(f) if len(w) >= 2]
    picks = [rng.choice(words) + ("" if i % 3 else " " + rng.choice(words))
             for i in range(queries)]
    ours: list[float] = []
    totals: list[int] = []
    for q in picks:
        t0 = time.perf_counter()
        page = selectors.search(q)
        ours.append((time.perf_counter() - t0) * 1000)
        totals.append(page.total)
    theirs = []
    for q in picks:
        t0 = time.perf_counter()
        _default_query(q)
        theirs.append((time.perf_counter() - t0) * 1000)
    print(f"  {queries} cluster-wide queries with facets (median {statistics.median(totals):,.0f}"
          f" matches):")
    print(f"    govsites public search     p50 {percentile(ours, 0.5):7.1f} ms   "
          f"p95 {percentile(ours, 0.95):7.1f} ms")
    print(f"    Wagtail default (FTS5 top10) p50 {percentile(theirs, 0.5):5.1f} ms   "
          f"p95 {percentile(theirs, 0.95):7.1f} ms  (finds Chinese sub-words poorly)")
    print(f"    p95 ratio govsites / Wagtail default: "
          f"{percentile(ours, 0.95) / max(percentile(theirs, 0.95), 0.001):.1f}×")


def _default_backend_rows(rows: list[tuple[int, str, str]]) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    ct = ContentType.objects.get(app_label="content", model="articlepage").pk
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            chunk = rows[start:start + 2000]
            cursor.executemany(
                "INSERT INTO modelsearch_indexentry (content_type_id, object_id, title, "
                "autocomplete, body, title_norm) VALUES (%s, %s, %s, %s, %s, 1.0)",
                [(ct, str(pk), title, title, body) for pk, title, body in chunk])


def _default_query(q: str) -> Any:
    from django.db import connection

    terms = " AND ".join('"' + t.replace('"', '""') + '"' for t in q.split())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, bm25(modelsearch_indexentry_fts) FROM modelsearch_indexentry_fts "
            "WHERE modelsearch_indexentry_fts MATCH %s ORDER BY 2 LIMIT 10", [terms])
        return cursor.fetchall()
