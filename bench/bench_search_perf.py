"""Search performance bench (issue 11 point 7), SQLite and PostgreSQL in the same run.

    python bench/bench_search_perf.py [--sizes 100000[,1000000]] [--queries Q]
                                      [--database-url postgres://…/db]
                                      [--sqlite-only | --postgres-only]

Each database runs in its own process (Django is set up once per process): a fresh SQLite file
in a temporary directory, and a scratch PostgreSQL database (created and dropped here; the
server at 127.0.0.1:5432 unless --database-url names another). See search_perf.py for what is
generated, measured and compared. Targets: p95 ≤ 50 ms at 1,000,000 documents on SQLite,
indexing ≥ 2,000 documents/s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/govsites_bench_search"


def worker(sizes: list[int], queries: int) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from search_perf import performance

    performance(sizes=sizes, queries=queries)
    return 0


def query_worker(queries: int) -> int:
    """The query half, in a process of its own on the database the worker built."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.base")
    import django

    django.setup()
    from search_perf import query_phase

    query_phase(queries)
    return 0


def _pg_admin(url: str, statement: str) -> bool:
    """Run CREATE/DROP DATABASE on the server's postgres database; False when unreachable."""
    import psycopg

    base, _, _name = url.rpartition("/")
    try:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(statement)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL at {base} not reachable ({exc}); skipped")
        return False
    return True


def run(env: dict[str, str], args: argparse.Namespace) -> int:
    command = [sys.executable, __file__, "--worker", "--sizes", args.sizes,
               "--queries", str(args.queries)]
    return subprocess.call(command, env=env, cwd=ROOT / "bench")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--sqlite-only", action="store_true")
    only.add_argument("--postgres-only", action="store_true",
                      help="skip the SQLite leg (its figures already taken)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.worker:
        return worker(sizes, args.queries)
    if args.queries_only:
        return query_worker(args.queries)
    status = 0
    if not args.postgres_only:
        with tempfile.TemporaryDirectory(prefix="bench-search-perf-") as data_dir:
            env = {**os.environ, "GOVSITES_DATA_DIR": data_dir}
            env.pop("DATABASE_URL", None)
            status |= run(env, args)
    if not args.sqlite_only:
        name = args.database_url.rpartition("/")[2]
        if _pg_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"') and \
                _pg_admin(args.database_url, f'CREATE DATABASE "{name}"'):
            with tempfile.TemporaryDirectory(prefix="bench-search-perf-") as data_dir:
                env = {**os.environ, "GOVSITES_DATA_DIR": data_dir,
                       "DATABASE_URL": args.database_url, "GOVSITES_ENV": "embedded"}
                try:
                    status |= run(env, args)
                finally:
                    _pg_admin(args.database_url, f'DROP DATABASE IF EXISTS "{name}"')
    return status


if __name__ == "__main__":
    raise SystemExit(main())
