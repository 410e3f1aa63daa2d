"""Search benchmark: relevance on the demo cluster (speed at scale: bench_search_perf.py).

    python bench/bench_search.py

Relevance (issue 11 point 6): the labelled queries of bench/data/search_relevance.json over the
demo cluster (govsites/demo), success@10 and MRR per query class for
  * govsites public search (search.selectors.search: the public index, FTS5),
  * govsites' Wagtail backend (what the admin's 资源库 and page chooser use),
  * Wagtail's default database backend (modelsearch SQLite FTS5), same pages, same run.
Targets: success@10 ≥ 0.97 and MRR ≥ 0.9 on every class.

Performance (point 7) is bench/bench_search_perf.py, also run by `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data" / "search_relevance.json"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def setup_django(data_dir: Path) -> None:
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def score(ranked: list[str], relevant: list[str]) -> tuple[float, float]:
    for rank, title in enumerate(ranked[:10], start=1):
        if title in relevant:
            return 1.0, 1.0 / rank
    return 0.0, 0.0


def wagtail_index(backend: Any) -> None:
    """Index every searchable model with one backend (IndexEntry rows replaced)."""
    from modelsearch.index import get_indexed_models

    models = list(get_indexed_models())
    backend.get_index_for_model(models[0]).reset()
    for model in models:
        if model._meta.parents:  # children are indexed through their concrete class
            pass
        objects = list(model.get_indexed_objects())
        if objects:
            backend.add_bulk(model, objects)


def relevance() -> None:
    from django.db import transaction

    from govsites.content.models import ContentItem
    from govsites.demo.loader import load_demo
    from govsites.search import selectors, services

    start = time.perf_counter()
    with transaction.atomic():
        load_demo(port=8000, say=lambda *a, **k: None)
    services.rebuild_index(acting_user=None)
    print(f"demo cluster loaded and indexed in {time.perf_counter() - start:.1f} s "
          f"({ContentItem.objects.live().count()} live items)")
    cases = json.loads(DATA.read_text(encoding="utf-8"))["queries"]

    def live_items() -> Any:
        return ContentItem.objects.live()

    def titles_public(q: str) -> list[str]:
        return [r.title for r in selectors.search(q, page_size=10).results]

    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    from govsites.search.wagtail_backend import SearchBackend as ChineseBackend

    ours = ChineseBackend({})
    default = SQLiteSearchBackend({})

    def titles_with(backend: Any) -> Any:
        def run(q: str) -> list[str]:
            return [p.title for p in backend.search(q, live_items())[:10]
                    if p.withdrawn_at is None]
        return run

    systems: dict[str, Any] = {"govsites public search": titles_public}
    results: dict[str, dict[str, list[tuple[float, float]]]] = {}
    misses: dict[str, list[str]] = defaultdict(list)
    for name, backend in (("govsites Wagtail backend", ours),
                          ("Wagtail default database", default)):
        wagtail_index(backend)
        run = titles_with(backend)
        results[name] = defaultdict(list)
        for case in cases:
            results[name][case["class"]].append(score(run(case["q"]), case["relevant"]))
    for name, run in systems.items():
        results[name] = defaultdict(list)
        for case in cases:
            got = run(case["q"])
            s = score(got, case["relevant"])
            results[name][case["class"]].append(s)
            if s[1] < 1.0:
                misses[name].append(f"{case['class']}: {case['q']} → {got[:3]}")
    classes = sorted({c["class"] for c in cases})
    print(f"\nrelevance: {len(cases)} labelled queries, success@10 / MRR per class")
    header = f"{'system':28}" + "".join(f"{c:>20}" for c in [*classes, "all"])
    print(header)
    for name in ["govsites public search", "govsites Wagtail backend",
                 "Wagtail default database"]:
        cells = []
        everything: list[tuple[float, float]] = []
        for c in classes:
            rows = results[name][c]
            everything.extend(rows)
            cells.append(f"{statistics.mean(r[0] for r in rows):.3f} / "
                         f"{statistics.mean(r[1] for r in rows):.3f}")
        cells.append(f"{statistics.mean(r[0] for r in everything):.3f} / "
                     f"{statistics.mean(r[1] for r in everything):.3f}")
        print(f"{name:28}" + "".join(f"{c:>20}" for c in cells))
    for name, lines in misses.items():
        print(f"\n{name}: queries whose first relevant result is not at rank 1:")
        for line in lines:
            print("  " + line)


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as data_dir:
        setup_django(Path(data_dir))
        random.seed(20261201)
        relevance()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
