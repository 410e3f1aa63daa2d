"""Audit benchmark: editors' save latency while a long audited transaction runs, on PostgreSQL.

Run from the repository root: `python bench/bench_audit.py [--database gs_audit_bench]`.
It needs a PostgreSQL server on 127.0.0.1:5432 (user postgres, trust auth) and creates (or
reuses) the named database, migrates it and empties its audit trail. Then
  (a) --writers editors (threads, one connection each) save their organisation through
      `sites.services.update_organisation` (validated, one audit record) --saves times:
      the baseline p95;
  (b) the same editors keep saving while an import of --items items runs in ONE transaction
      (each item: a row update plus its audit record, as the bulk import writes them); only
      the saves made while that transaction is open count: p95 during the import;
  (c) unless --skip-global-lock: (b) again with the chain-head row locked inside every
      audited transaction, as `core.audit.record()` did before the outbox: the same-run
      figure of the old design.
After the import commits, its records are chained (`chain_pending`) and the chain verified.
Target: p95 during the import at most 2x the p95 without it. A miss prints TARGET MISSED
and exits non-zero.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RATIO_TARGET = 2.0
SERVER = "postgres://postgres@127.0.0.1:5432"


def setup_django(database: str, data_dir: Path) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ["GOVSITES_ENV"] = "embedded"  # a bench, not a production start
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsites.config.settings.base"
    os.environ.setdefault("GOVSITES_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")
    os.environ["GOVSITES_DEBUG"] = "0"
    import django

    django.setup()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 \
        else (values[0] if values else float("nan"))


def lock_chain_head() -> None:
    """What record() did before the outbox: lock the chain head inside the caller's transaction."""
    from govsites.core.audit import GENESIS
    from govsites.core.models import AuditChainHead

    AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": GENESIS})


def editor_save(org_id: int, n: int, *, global_lock: bool) -> float:
    """One editor's audited save; return its wall time in seconds (after-commit work included)."""
    from django.db import transaction

    from govsites.sites.models import Organisation
    from govsites.sites.services import update_organisation

    started = time.perf_counter()
    with transaction.atomic():
        if global_lock:
            lock_chain_head()
        organisation = Organisation.objects.get(pk=org_id)
        update_organisation(organisation=organisation, acting_user=None,
                            address=f"示例市人民大道{n}号")
    return time.perf_counter() - started


def run_writers(org_ids: list[int], *, saves: int, until: Callable[[], bool] | None,
                counting: Callable[[], bool], global_lock: bool) -> list[float]:
    """Each writer saves `saves` times, then (with until) keeps saving until until() is true."""
    from django.db import connection

    latencies: list[float] = []
    guard = threading.Lock()
    failures: list[BaseException] = []

    def writer(org_id: int) -> None:
        try:
            n = 0
            while n < saves or (until is not None and not until()):
                counted = counting()  # a save that starts while the import is open counts
                elapsed = editor_save(org_id, n, global_lock=global_lock)
                if counted:
                    with guard:
                        latencies.append(elapsed)
                n += 1
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(org_id,)) for org_id in org_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return latencies


class Import(threading.Thread):
    """One transaction writing `items` items, each a row update and its audit record."""

    def __init__(self, org_id: int, items: int, *, global_lock: bool) -> None:
        super().__init__()
        self.org_id, self.items, self.global_lock = org_id, items, global_lock
        self.open = threading.Event()
        self.done = threading.Event()
        self.seconds = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        from django.db import connection, transaction

        from govsites.core import audit
        from govsites.sites.models import Organisation

        started = time.perf_counter()
        try:
            with transaction.atomic():
                if self.global_lock:
                    lock_chain_head()
                target = Organisation.objects.get(pk=self.org_id)
                for i in range(self.items):
                    Organisation.objects.filter(pk=self.org_id).update(address=f"导入{i}")
                    audit.record(action="content.import.run", obj=target,
                                 details={"item": i, "title": f"导入条目{i}"})
                    if i == 0:
                        self.open.set()
        except BaseException as error:
            self.error = error
        finally:
            self.seconds = time.perf_counter() - started
            self.open.set()
            self.done.set()
            connection.close()


def during_import(org_ids: list[int], import_org: int, *, items: int, saves: int,
                  global_lock: bool) -> tuple[list[float], Import]:
    job = Import(import_org, items, global_lock=global_lock)
    job.start()
    job.open.wait()
    latencies = run_writers(org_ids, saves=saves, until=job.done.is_set,
                            counting=lambda: not job.done.is_set(), global_lock=global_lock)
    job.join()
    if job.error is not None:
        raise job.error
    return latencies, job


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="gs_audit_bench")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--saves", type=int, default=30, help="saves per writer (baseline)")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--skip-global-lock", action="store_true",
                        help="do not measure the old chain-head lock for comparison")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    setup_django(args.database, data_dir)
    from django.core.management import call_command
    from django.db import connection

    print(f"migrating {args.database} …", flush=True)
    call_command("migrate", verbosity=0)

    from govsites import testing
    from govsites.core import audit
    from govsites.core.models import AuditChainHead, AuditRecord

    AuditRecord.objects.all().delete()
    AuditChainHead.objects.all().delete()
    from govsites.sites.models import Organisation

    def organisation(name: str) -> int:
        existing = Organisation.objects.filter(name=name).first()  # a database reused
        return existing.pk if existing is not None else testing.make_organisation(name).pk

    org_ids = [organisation(f"基准测试单位{n}") for n in range(args.writers)]
    import_org = organisation("基准测试导入单位")
    audit.chain_pending()
    connection.close()

    baseline = run_writers(org_ids, saves=args.saves, until=None, counting=lambda: True,
                           global_lock=False)
    audit.chain_pending()
    print(f"(a) {args.writers} editors, no import: {len(baseline)} saves, "
          f"p50 {statistics.median(baseline) * 1000:.1f} ms, p95 {p95(baseline) * 1000:.1f} ms",
          flush=True)

    during, job = during_import(org_ids, import_org, items=args.items, saves=1,
                                global_lock=False)
    print(f"(b) during a {args.items:,}-item import ({job.seconds:.1f} s in one transaction): "
          f"{len(during)} saves, p50 {statistics.median(during) * 1000:.1f} ms, "
          f"p95 {p95(during) * 1000:.1f} ms", flush=True)
    started = time.perf_counter()
    chained = audit.chain_pending()
    chain_seconds = time.perf_counter() - started
    problem = audit.verify_chain()
    print(f"    chaining the {chained:,} pending records afterwards: {chain_seconds:.1f} s; "
          f"chain {'verified' if problem is None else 'BROKEN: ' + problem.message}", flush=True)

    if not args.skip_global_lock:
        old, old_job = during_import(org_ids, import_org, items=args.items, saves=1,
                                     global_lock=True)
        audit.chain_pending()
        print(f"(c) same, with the old chain-head lock ({old_job.seconds:.1f} s import): "
              f"{len(old)} saves, p95 {p95(old) * 1000:.1f} ms", flush=True)

    ratio = p95(during) / p95(baseline)
    print(f"editors' save p95 during the import / without it: {ratio:.2f}x "
          f"(target ≤ {RATIO_TARGET:.0f}x)")
    if problem is not None or ratio > RATIO_TARGET:
        print("TARGET MISSED")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
