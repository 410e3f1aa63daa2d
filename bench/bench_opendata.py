"""Open data benchmark (issue 14 item 6): a generated table of 5,000,000 rows × 20 columns of
mixed types; ingest time; filtered and paginated `rows` p50/p95 through the HTTP API; the same
queries against the same table loaded into PostgreSQL without an index (CKAN's datastore
approach), in the same run, printed as ratios.

    python bench/bench_opendata.py [--rows N] [--ingest-rows M] [--queries Q] [--database-url URL]

How each side is timed (the same way): one HTTP GET of `/rows?filter=…&limit=100&offset=…` on
loopback, answered by gunicorn with two sync workers. Ours is the real API (Django, rate limit,
usage count, DuckDB query store). PostgreSQL's is a minimal WSGI app in this file, `pg_app`:
the same parameter parsing (`query.parse_query`), the same page-plus-total SQL with bound
parameters, the same JSON; one connection per worker, no Django. PostgreSQL keeps its own
parallel workers (max_parallel_workers_per_gather, printed); each DuckDB instance has 2 threads.

Ingest: the upload service (decode, frictionless validation of every row, Parquet, screening
of every cell, query store) is timed on --ingest-rows (default 200,000: validating and
screening 100 million cells would take the better part of an hour). When --rows is larger, the
released version's table is then replaced by the --rows table written by the service's own
storage step (`ingest.write_parquet` + `ingest.write_query_store`), timed against PostgreSQL's
COPY of the same CSV. The output says which.

Needs gunicorn (the [bench] extra) and PostgreSQL at --database-url (default
postgres://postgres@127.0.0.1:5432/postgres; a table bench_opendata is created and dropped);
without PostgreSQL only our figures are printed. Targets: `rows` with one equality filter p95
≤ 50 ms through HTTP and ≥ 5× faster than the unindexed PostgreSQL table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_serve import setup_django  # noqa: E402

DISTRICTS = [f"{d}{i}" for i, d in enumerate(["东区", "西区", "南区", "北区", "中区", "高新区",
                                              "开发区", "临港区"] * 8)]  # 64 values
PG_TABLE = "bench_opendata"
WORKERS = 2

#: 20 columns: integers, decimals, text of few and of many values, a boolean, a date.
GENERATE_SQL = """
COPY (SELECT i AS id,
  ['东区','西区','南区','北区','中区','高新区','开发区','临港区'][1 + i % 8] || (i % 64) AS "地区",
  2000 + i % 25 AS "年份", 1 + i % 12 AS "月份",
  100 + hash(i, 1) % 99900 AS "人口", 10 + hash(i, 2) % 9990 AS "户数",
  round((hash(i, 3) % 100000000) / 100.0, 2) AS "产值",
  round((hash(i, 4) % 10000000) / 100.0, 2) AS "税收",
  round((hash(i, 5) % 100000) / 1000.0, 3) AS "面积",
  round((hash(i, 6) % 10000) / 10000.0, 4) AS "占比",
  '行业' || (i % 20) AS "行业", chr(65 + (i % 8)::INTEGER) AS "类别",
  CASE WHEN i % 3 = 0 THEN 'false' ELSE 'true' END AS "是否达标",
  strftime(make_date(2010 + (i % 15)::INTEGER, 1 + (i % 12)::INTEGER, 1 + (i % 28)::INTEGER),
           '%Y-%m-%d') AS "登记日期",
  hash(i, 7) % 101 AS "评分", ['甲','乙','丙','丁'][1 + i % 4] AS "等级",
  CASE WHEN i % 7 = 0 THEN '复核' ELSE '正常' END AS "备注",
  'C' || lpad(i::VARCHAR, 8, '0') AS "编码",
  hash(i, 8) % 501 AS "数量", round((hash(i, 9) % 1000000) / 100.0, 2) AS "金额"
  FROM range({rows}) t(i)) TO '{path}' (HEADER, DELIMITER ',')
"""


def generate(path: Path, rows: int) -> None:
    """Write the table as CSV with DuckDB (5M rows in about 20 s)."""
    import duckdb

    con = duckdb.connect(config={"threads": WORKERS})
    try:
        con.execute(GENERATE_SQL.format(rows=int(rows), path=str(path).replace("'", "''")))
    finally:
        con.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def timed(fn: Callable[[], None], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def load() -> str:
    return "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())


# --- PostgreSQL behind HTTP: the baseline's endpoint ------------------------------------------

PG_TYPES = {"integer": "bigint", "number": "double precision", "boolean": "boolean",
            "date": "date", "datetime": "timestamp", "year": "integer"}
PG_OPERATORS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_pg: dict[str, Any] = {}


def pg_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """GET ?filter=&limit=&offset=: a page of bench_opendata and its total, as our API does."""
    import psycopg

    from govsites.opendata.query import QueryError, _plain, parse_query

    if "con" not in _pg:
        _pg["con"] = psycopg.connect(os.environ["BENCH_PG_URL"], autocommit=True)
        _pg["schema"] = json.loads(os.environ["BENCH_PG_SCHEMA"])
    con, schema = _pg["con"], _pg["schema"]
    params = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        query = parse_query(schema=schema, filters=params.get("filter", []),
                            limit=params.get("limit", [None])[0],
                            offset=params.get("offset", [None])[0], default_limit=100,
                            max_limit=1000)
    except QueryError as error:
        body = json.dumps({"error": str(error)}, ensure_ascii=False).encode()
        start_response("400 Bad Request", [("Content-Type", "application/json")])
        return [body]
    clauses, values = [], []
    for condition in query.conditions:
        clauses.append(f'"{condition.column}" {PG_OPERATORS[condition.op]} %s')
        values.append(condition.value)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    names = [f["name"] for f in schema["fields"]]
    result = con.execute(f"SELECT * FROM {PG_TABLE}{where} LIMIT %s OFFSET %s",
                         [*values, query.limit, query.offset]).fetchall()
    total = con.execute(f"SELECT count(*) FROM {PG_TABLE}{where}", values).fetchone()[0]
    rows = [dict(zip(names, (_plain(v) for v in row), strict=True)) for row in result]
    body = json.dumps({"fields": [{"id": n} for n in names], "total": total,
                       "limit": query.limit, "offset": query.offset, "rows": rows},
                      ensure_ascii=False).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def load_postgres(database_url: str, source: Path, schema: dict[str, Any]) -> tuple[float, str]:
    """Load the CSV into an unindexed table with COPY (CKAN xloader's way)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as con:
        columns = ", ".join(f'"{f["name"]}" ' + PG_TYPES.get(f["type"], "text")
                            for f in schema["fields"])
        con.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
        con.execute(f"CREATE TABLE {PG_TABLE} ({columns})")
        start = time.perf_counter()
        with source.open("rb") as handle, con.cursor().copy(
                f"COPY {PG_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        con.execute(f"ANALYZE {PG_TABLE}")
        seconds = time.perf_counter() - start
        row = con.execute("SELECT current_setting('max_parallel_workers_per_gather'), "
                          "current_setting('shared_buffers'), "
                          f"pg_size_pretty(pg_total_relation_size('{PG_TABLE}'))").fetchone()
    assert row is not None
    return seconds, (f"PostgreSQL {row[2]} table, max_parallel_workers_per_gather {row[0]}, "
                     f"shared_buffers {row[1]}")


def drop_postgres(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as con:
        con.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")


# --- our side ----------------------------------------------------------------------------------

def build_release(source: Path) -> tuple[int, int, float, Any]:
    """Create a dataset, upload the table through the service (timed), publish it."""
    from govsites import testing
    from govsites.opendata import services
    from govsites.rules.services import set_override

    portal = testing.make_site()
    org = testing.make_organisation("示例市统计局", kind="department",
                                    parent=portal.host_organisation)
    column = testing.make_column(portal.site.root_page.specific, title="数据发布",
                                 column_type="数据发布", owner=org)
    dataset = services.create_dataset(column=column, title="基准数据表", summary="生成的数据",
                                      update_frequency="每年", acting_user=None)
    start = time.perf_counter()
    with source.open("rb") as handle:
        upload = services.upload_table(dataset=dataset, resource_name="数据", filename="table.csv",
                                       data=handle, acting_user=None)
    seconds = time.perf_counter() - start
    dataset.refresh_from_db()
    dataset.get_latest_revision().publish()  # the review chain is not what is measured here
    set_override(key="opendata.api.rate_limit_per_minute", value=0, reason="基准测试",
                 acting_user=None)
    return dataset.pk, dataset.resources.get().pk, seconds, upload.version


def replace_table(version: Any, source: Path, rows: int) -> float:
    """Put the full-size table in place of the released one with the service's storage step."""
    from govsites.opendata import ingest, storage

    work = Path(tempfile.mkdtemp(prefix="bench-opendata-store-", dir=source.parent))
    start = time.perf_counter()
    ingest.write_parquet(source, version.table_schema, work / "data.parquet")
    ingest.write_query_store(work / "data.parquet", work / "data.duckdb")
    seconds = time.perf_counter() - start
    for name, target in (("data.parquet", storage.parquet_path(version)),
                         ("data.duckdb", storage.store_path(version))):
        target.unlink(missing_ok=True)
        shutil.move(str(work / name), target)
    version.row_count = rows
    version.save(update_fields=["row_count"])
    return seconds


def serve(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen([str(gunicorn), "--workers", str(WORKERS), "--bind",
                             f"127.0.0.1:{port}", "--log-level", "warning", *args],
                            env=env, stdout=subprocess.DEVNULL)


def peak_rss_mb(master: subprocess.Popen[bytes]) -> float:
    """The largest peak resident set of the server's worker processes."""
    import psutil

    peaks = [0.0]
    for child in psutil.Process(master.pid).children():
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


Case = Callable[[random.Random], list[tuple[str, str]]]


def cases_for(rows: int) -> dict[str, Case]:
    """Each case draws its query's parameters from a seeded generator: both sides get the
    same sequence of queries."""
    return {
        "equality filter (地区 = one of 64 values)": lambda rng: [
            ("filter", f"地区:eq:{rng.choice(DISTRICTS)}")],
        "equality filter (户数 = one of 9,990 values; totals rarely repeat)": lambda rng: [
            ("filter", f"户数:eq:{rng.randint(10, 9999)}")],
        "range filter (人口 > x, 年份 = y)": lambda rng: [
            ("filter", f"人口:gt:{rng.randint(0, 99999)}"),
            ("filter", f"年份:eq:{rng.randint(2000, 2024)}")],
        "paginated rows (deep offset, no filter)": lambda rng: [
            ("offset", str(rng.randint(0, max(0, rows - 100))))],
    }


def measure(url: str, base: list[tuple[str, str]], port: int, server: subprocess.Popen[bytes],
            cases: dict[str, Case], seed: int, queries: int) -> tuple[dict[str, list[float]], float]:
    import httpx

    from govsites.testing.tools import wait_for_port

    wait_for_port(port, timeout=60)
    times: dict[str, list[float]] = {}
    with httpx.Client(headers={"Host": "localhost"}, trust_env=False, timeout=120) as client:
        for index, (name, draw) in enumerate(cases.items()):
            rng = random.Random(seed + index)

            def call(draw: Case = draw, rng: random.Random = rng) -> None:
                params = [*base, *draw(rng), ("limit", "100")]
                response = client.get(url, params=tuple(params))
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                response.json()

            timed(call, 5)  # each worker opens its table once
            times[name] = timed(call, queries)
    return times, peak_rss_mb(server)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--ingest-rows", type=int, default=200_000,
                        help="rows ingested through the upload service (timed)")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_OPENDATA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    if not Path(sys.executable).with_name("gunicorn").exists():
        print("TARGET MISSED: gunicorn is not installed (pip install -e '.[bench]')")
        return 1
    database_url = args.database_url.replace("postgres://", "postgresql://", 1)
    work = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    try:
        return run(args, database_url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, database_url: str, work: Path) -> int:
    setup_django(work)
    from django.core.management import call_command

    from govsites.testing.tools import free_port

    call_command("migrate", "--noinput", verbosity=0)
    print(f"machine: {os.cpu_count()} CPUs, {load()}")
    ingest_rows = min(args.rows, args.ingest_rows)
    small = work / "ingest.csv"
    start = time.perf_counter()
    generate(small, ingest_rows)
    full = small
    if args.rows > ingest_rows:
        full = work / "table.csv"
        generate(full, args.rows)
    print(f"table: {args.rows:,} rows × 20 columns, {full.stat().st_size / 1e6:.0f} MB CSV "
          f"(generated by DuckDB in {time.perf_counter() - start:.0f} s)")
    dataset_id, resource_id, ingest_s, version = build_release(small)
    print(f"ingest through the upload service (decode, frictionless validation, Parquet, "
          f"screening of every cell, query store) of {ingest_rows:,} rows: {ingest_s:.1f} s "
          f"({ingest_rows / ingest_s:,.0f} rows/s)")
    if full is not small:
        store_s = replace_table(version, full, args.rows)
        print(f"the {args.rows:,}-row table is stored by the service's storage step "
              f"(write_parquet + write_query_store, no validation or screening): "
              f"{store_s:.1f} s")
    cases = cases_for(args.rows)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsites.config.settings.base")
    port = free_port()
    ours = serve(["--chdir", str(REPO), "govsites.config.wsgi:application"], env, port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/datasets/{dataset_id}/rows"
        duck_times, duck_rss = measure(url, [("resource", str(resource_id))], port, ours, cases, 11, args.queries)
    finally:
        ours.terminate()
        ours.wait(timeout=30)
    print(f"ours: peak RSS per gunicorn worker {duck_rss:.0f} MB; {load()}")
    pg_times: dict[str, list[float]] = {}
    try:
        copy_s, pg_note = load_postgres(database_url, full, version.table_schema)
    except Exception as error:  # no PostgreSQL here: print our figures only
        print(f"PostgreSQL baseline skipped: {error}")
    else:
        print(f"PostgreSQL COPY of {args.rows:,} rows (CKAN xloader's way): {copy_s:.1f} s; "
              f"{pg_note}")
        env = dict(os.environ, BENCH_PG_URL=database_url,
                   BENCH_PG_SCHEMA=json.dumps(version.table_schema, ensure_ascii=False))
        port = free_port()
        server = serve(["--chdir", str(REPO / "bench"), "bench_opendata:pg_app"], env, port)
        try:
            pg_times, pg_rss = measure(f"http://127.0.0.1:{port}/rows", [], port, server, cases,
                                       11, args.queries)
        finally:
            server.terminate()
            server.wait(timeout=30)
            drop_postgres(database_url)
        print(f"PostgreSQL side: peak RSS per gunicorn worker {pg_rss:.0f} MB; {load()}")
    return report(duck_times, pg_times)


def report(duck_times: dict[str, list[float]], pg_times: dict[str, list[float]]) -> int:
    print("each figure: one HTTP GET of a 100-row page and its total, gunicorn 2 workers, "
          "loopback; DuckDB 2 threads per worker")
    status = 0
    for name, times in duck_times.items():
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        line = f"{name}: ours (DuckDB) p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        ratio = None
        if name in pg_times:
            q50, q95 = percentile(pg_times[name], 0.5), percentile(pg_times[name], 0.95)
            ratio = q95 / p95
            line += (f"; PostgreSQL no index p50 {q50:.1f} ms, p95 {q95:.1f} ms; "
                     f"ratio p50 {q50 / p50:.1f}×, p95 {ratio:.1f}×")
        if name.startswith("equality") and (p95 > 50 or (ratio is not None and ratio < 5)):
            status = 1
        print(line)
    if status:
        print("TARGET MISSED: equality filter p95 ≤ 50 ms and ≥ 5× PostgreSQL")
    return status


if __name__ == "__main__":
    sys.exit(main())
