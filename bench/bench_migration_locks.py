"""Migration lock benchmark: how long the newest migrations block readers and writers of the big
tables of a 100,000-item PostgreSQL database (issue 16: "migrations safe to run while the old
version serves").

Run from the repository root: `python bench/bench_migration_locks.py [--items 100000]`
(needs a PostgreSQL server; `--database-url`, default the CI's postgres@127.0.0.1:5432, in
which the database `govsites_bench_locks` is dropped and created anew).

It migrates a fresh database, inserts --items live articles (govsites/testing/bulk.py), and
takes as "big" every table with at least --big-rows rows. Then, for each govsites app whose
newest migration touches a big table (or runs SQL or Python, which may touch any), it
unapplies that migration and applies it again, as an upgrade would, while
  - one probe per big table reads a random row and one updates a random row, in a loop, each
    on its own connection (what the old release keeps doing during the upgrade), and
  - a monitor samples, every 10 ms, the locks the migrating connection holds (pg_locks) and
    how long each probe has been waiting for a lock (pg_stat_activity).
It prints, per migration, the longest time a probe was blocked by a lock, the longest probe
wait beside the longest measured with no migration running (the baseline, same run: on a
busy machine that is mostly CPU, not locks), as a ratio, and the strongest lock held on a
big table with how long it was held. Target: no probe blocked by a lock for more than
--budget seconds (default 1). A miss prints TARGET MISSED and exits 1.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/govsites_bench_locks"
BUDGET_SECONDS = 1.0
#: Lock modes from weakest to strongest (PostgreSQL's table-level locks).
MODES = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
         "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]


def setup_django(url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsites.config.settings.base"
    os.environ["GOVSITES_DEBUG"] = "0"
    os.environ.setdefault("GOVSITES_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("GOVSITES_PUBLIC_SCHEME", "http")
    os.environ.pop("DATABASE_REPLICA_URL", None)
    import django

    django.setup()


def fresh_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Probe:
    """Reads or updates random rows of one table in a loop; keeps the longest single wait."""

    url: str
    table: str
    key: str
    ids: tuple[int, int]
    write: bool
    longest: float = 0.0
    count: int = 0
    pid: int = 0
    errors: list[str] = field(default_factory=list)

    def run(self, stop: threading.Event) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            self.pid = conn.info.backend_pid
            conn.execute("SET lock_timeout = '30s'")
            sql = (f'UPDATE "{self.table}" SET "{self.key}" = "{self.key}" WHERE "{self.key}" = %s'
                   if self.write else f'SELECT 1 FROM "{self.table}" WHERE "{self.key}" = %s')
            while not stop.is_set():
                row = random.randint(*self.ids)
                started = time.monotonic()
                try:
                    conn.execute(sql, (row,))
                except psycopg.Error as exc:
                    self.errors.append(str(exc).splitlines()[0])
                self.longest = max(self.longest, time.monotonic() - started)
                self.count += 1
                time.sleep(0.005)


class LockMonitor:
    """Samples the table locks one backend holds (first and last sighting per lock) and how
    long the probes have been waiting for a lock (PostgreSQL's own account, so a probe slowed
    by a busy machine is not mistaken for a blocked one)."""

    def __init__(self, url: str, pid: int, tables: set[str], probe_pids: list[int]) -> None:
        self.url, self.pid, self.tables, self.probe_pids = url, pid, tables, probe_pids
        self.seen: dict[tuple[str, str], list[float]] = {}
        self.longest_lock_wait = 0.0

    def run(self, stop: threading.Event) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not stop.is_set():
                now = time.monotonic()
                for relname, mode in conn.execute(
                        "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c "
                        "ON c.oid = l.relation WHERE l.pid = %s AND l.granted", (self.pid,)):
                    if relname in self.tables:
                        self.seen.setdefault((relname, mode), [now, now])[1] = now
                for (waited,) in conn.execute(
                        "SELECT extract(epoch FROM clock_timestamp() - query_start) "
                        "FROM pg_stat_activity WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
                        (self.probe_pids,)):
                    self.longest_lock_wait = max(self.longest_lock_wait, float(waited))
                time.sleep(0.01)

    def strongest(self) -> tuple[str, str, float]:
        if not self.seen:
            return ("", "", 0.0)
        (table, mode), (first, last) = max(
            self.seen.items(), key=lambda kv: (MODES.index(kv[0][1]) if kv[0][1] in MODES
                                               else -1, kv[1][1] - kv[1][0]))
        return table, mode, last - first


def big_tables(min_rows: int) -> dict[str, tuple[str, tuple[int, int]]]:
    """Tables with at least min_rows rows: name -> (integer key column, its min and max)."""
    from django.apps import apps
    from django.db import connection

    found: dict[str, tuple[str, tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table, pk = model._meta.db_table, model._meta.pk
            if table in found or pk is None or pk.get_internal_type() not in (
                    "AutoField", "BigAutoField", "OneToOneField", "ForeignKey"):
                continue
            cursor.execute(f'SELECT count(*), min("{pk.column}"), max("{pk.column}") '
                           f'FROM "{table}"')
            count, low, high = cursor.fetchone()
            if count >= min_rows:
                found[table] = (str(pk.column), (int(low), int(high)))
    return found


def newest_migrations(big: set[str]) -> list[tuple[str, str, str, str]]:
    """(app, newest migration, the one before it, why it is checked) per govsites app whose
    newest migration may touch a big table."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations import operations as ops
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    state = loader.project_state()
    chosen = []
    for config in apps.get_app_configs():
        if not config.name.startswith("govsites."):
            continue
        leaves = loader.graph.leaf_nodes(config.label)
        if not leaves:
            continue
        migration = loader.graph.nodes[leaves[0]]
        parents = [p for p in loader.graph.node_map[leaves[0]].parents if p.key[0] == config.label]
        if not parents:
            continue  # only an initial migration: its tables start empty
        touched: set[str] = set()
        for operation in migration.operations:
            if isinstance(operation, ops.RunSQL | ops.RunPython):
                touched.add("(SQL or Python)")
                continue
            model_name = getattr(operation, "model_name", None) or getattr(operation, "name", "")
            model = state.models.get((config.label, str(model_name).lower()))
            if model is not None:
                touched.add(model.options.get("db_table") or f"{config.label}_{model.name_lower}")
        if touched & big or "(SQL or Python)" in touched:
            chosen.append((config.label, migration.name, parents[0].key[1],
                           ", ".join(sorted(touched & big) or ["runs SQL or Python"])))
    return chosen


def measure(url: str, big: dict[str, tuple[str, tuple[int, int]]], seconds: float | None,
            action: Any = None) -> tuple[float, list[str], LockMonitor]:
    """Run the probes (and the lock monitor) for `seconds`, or while `action` runs; return
    the longest single probe wait, the probes' errors and the monitor."""
    from django.db import connection

    stop = threading.Event()
    probes = [Probe(url, table, key, ids, write) for table, (key, ids) in big.items()
              for write in (False, True)]
    threads = [threading.Thread(target=p.run, args=(stop,), daemon=True) for p in probes]
    for thread in threads:
        thread.start()
    connected_by = time.monotonic() + 30
    while not all(p.pid for p in probes) and time.monotonic() < connected_by:
        time.sleep(0.05)  # every probe connected and looping
    connection.ensure_connection()
    monitor = LockMonitor(url, connection.connection.info.backend_pid, set(big),
                          [p.pid for p in probes])
    threads.append(threading.Thread(target=monitor.run, args=(stop,), daemon=True))
    threads[-1].start()
    try:
        if action is None:
            time.sleep(seconds or 0)
        else:
            action()
    finally:
        time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    errors = [e for p in probes for e in p.errors]
    return max(p.longest for p in probes), errors, monitor


def control_blocks(url: str, big: dict[str, tuple[str, tuple[int, int]]]) -> float:
    """What the monitor reports for a lock known to block writers: the longest lock wait."""
    from django.db import connection, transaction

    def build_index() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE INDEX bench_control ON wagtailcore_page (title, slug)")
            cursor.execute("SELECT pg_sleep(0.3)")  # as a migration's later steps would
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX bench_control")

    _longest, _errors, monitor = measure(url, big, None, build_index)
    return monitor.longest_lock_wait


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("GOVSITES_BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--big-rows", type=int, default=10_000)
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS)
    args = parser.parse_args()

    try:
        fresh_database(args.database_url)
    except Exception as exc:
        print(f"PostgreSQL unreachable at {args.database_url}: {exc}", file=sys.stderr)
        return 1
    setup_django(args.database_url, Path(tempfile.mkdtemp(prefix="govsites-bench-locks-")))
    from django.core.management import call_command

    from govsites.testing.bulk import build_cluster

    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    build_cluster(items=args.items, sites=2, columns_per_site=5)
    print(f"{args.items} items inserted in {time.monotonic() - started:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    big = big_tables(args.big_rows)
    print("big tables: " + ", ".join(f"{t} ({ids[1] - ids[0] + 1} ids)"
                                     for t, (_k, ids) in big.items()))
    baseline, errors, _ = measure(args.database_url, big, 3.0)
    baseline = max(baseline, 0.001)
    print(f"baseline: longest probe wait {baseline * 1000:.1f} ms with no migration running "
          "(the machine's own noise)")
    failed = bool(errors)
    control = control_blocks(args.database_url, big)
    print(f"control (not a migration): CREATE INDEX without CONCURRENTLY on wagtailcore_page "
          f"blocks the probes for {control * 1000:.0f} ms (the instrument sees a blocking lock)")
    for app, name, previous, why in newest_migrations(set(big)):
        try:
            call_command("migrate", app, previous, "--noinput", verbosity=0)
        except Exception as exc:
            print(f"{app}.{name}: not replayed (cannot be unapplied: {type(exc).__name__})")
            continue
        took: list[float] = []

        def apply(took: list[float] = took) -> None:
            t0 = time.monotonic()
            call_command("migrate", "--noinput", verbosity=0)
            took.append(time.monotonic() - t0)

        longest, errors, monitor = measure(args.database_url, big, None, apply)
        table, mode, held = monitor.strongest()
        blocked = monitor.longest_lock_wait
        ok = blocked <= args.budget and not errors
        failed |= not ok
        print(f"{app}.{name} ({why}): applied in {took[0]:.2f} s; probes blocked by a lock "
              f"at most {blocked * 1000:.0f} ms; longest probe wait {longest * 1000:.0f} ms = "
              f"{longest / baseline:.1f}x baseline"
              + (f"; strongest lock {mode} on {table}, held {held * 1000:.0f} ms" if mode else
                 "; no lock on a big table")
              + ("" if ok else "  TARGET MISSED") + (f"; probe errors: {errors[:3]}" if errors
                                                    else ""))
    if failed:
        print(f"TARGET MISSED: a probe waited more than {args.budget:.1f} s for a lock, or failed")
        return 1
    print(f"target met: no probe waited more than {args.budget:.1f} s for a migration's lock")
    return 0


if __name__ == "__main__":
    sys.exit(main())
