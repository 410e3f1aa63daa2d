"""Publishing benchmark: full rebuild throughput and approval-to-live latency.

Run from the repository root: `python bench/bench_publish.py [--items 100000]`.
It builds a cluster in a temporary SQLite database (sites and columns through the services,
items bulk-inserted: see govsites/testing/bulk.py), then measures
  (a) a full rebuild, `govsites publish --all` as a library call, in HTML pages per second
      (each page counted once per variant: 简体 and 繁体 are both published pages), and
  (b) approval-to-live: `publish_item` of a new article in a random column, with the real
      task worker (`db_worker`) running in another process; latency runs from the call until
      the worker has finished the publish task, i.e. the item, its column listing (every
      page of it), the home page, feeds and sitemap are all written. p50 and p95 are printed.
Targets: at least 300 pages/s on 2 cores; p95 at most 1 s. Misses print TARGET MISSED and
exit non-zero.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

REBUILD_TARGET = 300.0
P95_TARGET = 1.0


def setup_django(data_dir: Path) -> None:
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsites.config.settings.base"
    os.environ.setdefault("GOVSITES_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
    os.environ["GOVSITES_DEBUG"] = "0"
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--columns", type=int, default=20, help="columns per site")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--publishes", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="govsites-bench-publish-"))
    setup_django(tmp)
    from django.core.management import call_command

    from govsites.publishing.rebuild import ProgressBar
    from govsites.testing.bulk import build_cluster

    t = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    print(f"migrate: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    cluster = build_cluster(items=args.items, sites=args.sites, columns_per_site=args.columns,
                            progress=ProgressBar())
    print(f"cluster: {args.items} items, {len(cluster.sites)} sites, {len(cluster.columns)} "
          f"columns built in {time.perf_counter() - t:.1f} s (bulk insert)")

    ok = True
    # (a) full rebuild
    from govsites.publishing.services import rebuild_sites

    result = rebuild_sites(acting_user=None, jobs=args.jobs, progress=ProgressBar())
    s = result.stats
    rate = result.pages_per_second
    print(f"(a) full rebuild: {s.html_pages} HTML pages ({s.targets} targets, "
          f"{s.files_written} files, {s.bytes_written / 1e9:.2f} GB) in {result.seconds:.1f} s "
          f"with {args.jobs} processes = {rate:.0f} pages/s "
          f"({rate / REBUILD_TARGET:.2f}x the {REBUILD_TARGET:.0f} pages/s target)")
    if s.errors:
        print(f"    errors: {s.errors[:3]}")
        ok = False
    if rate < REBUILD_TARGET:
        print("    TARGET MISSED: rebuild throughput")
        ok = False

    # (b) approval-to-live with the real worker
    latencies = approval_to_live(cluster, args.publishes, tmp)
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies)
    print(f"(b) approval-to-live over {len(latencies)} publishes: p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
          f"(p95 is {p95 / P95_TARGET:.2f}x the {P95_TARGET:.0f} s budget)")
    if p95 > P95_TARGET:
        print("    TARGET MISSED: approval-to-live p95")
        ok = False
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept {tmp}")
    return 0 if ok else 1


def approval_to_live(cluster, publishes: int, tmp: Path) -> list[float]:
    import datetime as dt

    from django.db import connections
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from govsites.content.models import ArticlePage
    from govsites.content.services import publish_item, unique_child_slug
    from govsites.publishing.paths import site_dir

    # Building the cluster through the services queued incremental publishes (and Wagtail's
    # index updates); the full rebuild has made them redundant, so start from an empty queue.
    DBTaskResult.objects.all().delete()
    connections.close_all()
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    err_file = open(tmp / "worker.log", "wb")  # noqa: SIM115 - closed with the worker
    worker = subprocess.Popen(
        [sys.executable, "-m", "govsites", "db_worker", "--no-startup-delay", "--interval",
         "0.02"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err_file)
    rng = random.Random(7)
    latencies: list[float] = []
    waits: list[float] = []
    runs: list[float] = []
    warmup = 3
    try:
        for n in range(publishes + warmup):
            column = rng.choice(cluster.columns)
            item = ArticlePage(title=f"审批后发布第{n}号", slug=unique_child_slug(column, f"live-{n}"),
                               body="<p>审批通过后立即发布的信息。</p>")
            column.add_child(instance=item)
            item.save_revision()
            started_wall = timezone.now()
            started = time.perf_counter()
            publish_item(item=item, acting_user=None)
            deadline = started + 30
            while True:
                row = (DBTaskResult.objects.filter(enqueued_at__gte=started_wall - dt.timedelta(
                    milliseconds=5), task_path__endswith="publish_changes")
                       .order_by("enqueued_at").first())
                if row is not None and row.finished_at is not None:
                    if n >= warmup:  # the first tasks pay for the worker's imports
                        latencies.append((row.finished_at - started_wall).total_seconds())
                        waits.append((row.started_at - row.enqueued_at).total_seconds())
                        runs.append((row.finished_at - row.started_at).total_seconds())
                    break
                if time.perf_counter() > deadline or worker.poll() is not None:
                    rows = list(DBTaskResult.objects.order_by("-enqueued_at")
                                .values("task_path", "status", "enqueued_at")[:3])
                    if worker.poll() is None:  # dump the hung worker's stack into its log
                        import signal

                        worker.send_signal(signal.SIGABRT)
                        worker.wait(timeout=10)
                    err_file.flush()
                    err = (tmp / "worker.log").read_bytes()[-6000:]
                    raise RuntimeError(f"publish task did not finish within 30 s: {rows} "
                                       f"{err.decode(errors='replace')}")
                time.sleep(0.005)
            host = column.get_site().hostname
            rel = item.url_path[len(column.get_site().root_page.url_path):]
            page = site_dir(host) / rel / "index.html"
            listing = (site_dir(host) / column.url_path[len(column.get_site().root_page.url_path):]
                       / "index.html").read_text()
            if not page.is_file() or f"审批后发布第{n}号" not in listing:
                raise RuntimeError(f"publish {n}: item or listing not live after the task")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        err_file.close()
    print(f"    breakdown (medians): queue wait {statistics.median(waits) * 1000:.0f} ms, "
          f"task run {statistics.median(runs) * 1000:.0f} ms")
    return latencies


if __name__ == "__main__":
    sys.exit(main())
