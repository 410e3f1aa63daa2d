"""Open data benchmark: ingest a generated table through the upload service, release it, then
time filtered and paginated `rows` calls through the HTTP API (gunicorn, two workers, as
deployed) against the same queries on the same table loaded into PostgreSQL without an index
(CKAN's datastore approach, queried directly: no HTTP on that side), in the same run.

    python bench/bench_opendata.py [--rows N] [--queries Q] [--database-url URL]

Default 200,000 rows × 20 columns (`make bench`); the issue's size is --rows 5000000. Needs
PostgreSQL at --database-url (default postgres://postgres@127.0.0.1:5432/postgres; a table
named bench_opendata is created and dropped); without it only our figures are printed.
Targets: equality-filter p95 ≤ 50 ms through HTTP and ≥ 5× faster than PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_serve import setup_django  # noqa: E402

DISTRICTS = ["东区", "西区", "南区", "北区", "中区", "高新区", "开发区", "临港区"] * 8
DISTRICTS = [f"{d}{i}" for i, d in enumerate(DISTRICTS)]  # 64 values


def generate(path: Path, rows: int) -> None:
    rng = random.Random(20261201)
    header = ["id", "地区", "年份", "月份", "人口", "户数", "产值", "税收", "面积", "占比",
              "行业", "类别", "是否达标", "登记日期", "评分", "等级", "备注", "编码", "数量", "金额"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            writer.writerow([
                i, DISTRICTS[i % 64], 2000 + i % 25, 1 + i % 12, rng.randint(100, 99999),
                rng.randint(10, 9999), round(rng.random() * 1e6, 2), round(rng.random() * 1e5, 2),
                round(rng.random() * 100, 3), round(rng.random(), 4), f"行业{i % 20}",
                "ABCDEFGH"[i % 8], "true" if i % 3 else "false",
                f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}", rng.randint(0, 100),
                "甲乙丙丁"[i % 4], "正常" if i % 7 else "复核", f"C{i:08d}", rng.randint(0, 500),
                round(rng.random() * 1e4, 2)])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def build_release(source: Path) -> tuple[int, int, float, dict]:  # type: ignore[type-arg]
    """Create a dataset, upload the table (timed), publish it; return ids, seconds, schema."""
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
    resource = dataset.resources.get()
    return dataset.pk, resource.pk, seconds, upload.version.table_schema


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_OPENDATA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        print("TARGET MISSED: gunicorn is not installed (pip install -e '.[bench]')")
        return 1
    work = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    setup_django(work)
    import httpx
    from django.core.management import call_command

    from govsites.testing.tools import free_port, wait_for_port

    call_command("migrate", "--noinput", verbosity=0)
    source = work / "table.csv"
    generate(source, args.rows)
    print(f"table: {args.rows:,} rows × 20 columns, {source.stat().st_size / 1e6:.0f} MB CSV")
    dataset_id, resource_id, ingest_s, schema = build_release(source)
    print(f"ingest (upload service: decode, frictionless validation, Parquet, screening of every "
          f"cell): {ingest_s:.1f} s ({args.rows / ingest_s:,.0f} rows/s)")
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="govsites.config.settings.base")
    app = subprocess.Popen([str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                            "--log-level", "warning", "govsites.config.wsgi:application"],
                           cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    rng = random.Random(7)
    url = f"http://127.0.0.1:{port}/api/v1/datasets/{dataset_id}/rows"
    duck_times: dict[str, list[float]] = {}
    try:
        wait_for_port(port, timeout=60)
        with httpx.Client(headers={"Host": "localhost"}, trust_env=False, timeout=30) as client:

            def api(filters: list[str], offset: int = 0) -> None:
                params = [("resource", str(resource_id)), ("limit", "100"),
                          ("offset", str(offset)), *(("filter", f) for f in filters)]
                response = client.get(url, params=params)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                response.json()

            cases = cases_for(args.rows, rng, api)
            for name, case in cases.items():
                timed(case[0], 5)  # each worker opens its Parquet once
                duck_times[name] = timed(case[0], args.queries)
    finally:
        app.terminate()
        app.wait(timeout=30)
    pg_times = postgres_baseline(args, source, schema, cases)
    status = report(duck_times, pg_times)
    shutil.rmtree(work, ignore_errors=True)
    return status


def cases_for(rows: int, rng: random.Random, api):  # type: ignore[no-untyped-def]
    return {
        "equality filter (地区 = x)": (lambda: api([f"地区:eq:{rng.choice(DISTRICTS)}"]),
                                      "SELECT * FROM bench_opendata WHERE \"地区\" = %s "
                                      "LIMIT 100 OFFSET 0",
                                      lambda: [rng.choice(DISTRICTS)],
                                      "SELECT count(*) FROM bench_opendata WHERE \"地区\" = %s"),
        "range filter (人口 > x, 年份 = y)": (
            lambda: api([f"人口:gt:{rng.randint(0, 99999)}", f"年份:eq:{rng.randint(2000, 2024)}"]),
            "SELECT * FROM bench_opendata WHERE \"人口\" > %s AND \"年份\" = %s LIMIT 100 OFFSET 0",
            lambda: [rng.randint(0, 99999), rng.randint(2000, 2024)],
            "SELECT count(*) FROM bench_opendata WHERE \"人口\" > %s AND \"年份\" = %s"),
        "paginated rows (offset deep)": (lambda: api([], offset=rng.randint(0, rows - 100)),
                                         "SELECT * FROM bench_opendata LIMIT 100 OFFSET %s",
                                         lambda: [rng.randint(0, rows - 100)],
                                         "SELECT count(*) FROM bench_opendata"),
    }


def postgres_baseline(args, source: Path, schema, cases) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    pg_times: dict[str, list[float]] = {}
    try:
        import psycopg

        with psycopg.connect(args.database_url.replace("postgres://", "postgresql://"),
                             autocommit=True) as con:
            columns = ", ".join(f'"{f["name"]}" ' + {"integer": "bigint", "number": "double precision",
                                                    "boolean": "boolean", "date": "date"}
                                .get(f["type"], "text") for f in schema["fields"])
            con.execute("DROP TABLE IF EXISTS bench_opendata")
            con.execute(f"CREATE TABLE bench_opendata ({columns})")
            start = time.perf_counter()
            with source.open("rb") as handle, con.cursor().copy(
                    "COPY bench_opendata FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            con.execute("ANALYZE bench_opendata")
            print(f"PostgreSQL COPY load (CKAN xloader's way): {time.perf_counter() - start:.1f} s")
            for name, (_ours, sql, params, count_sql) in cases.items():
                def pg(sql: str = sql, params=params, count_sql: str = count_sql) -> None:  # type: ignore[no-untyped-def]
                    values = params()
                    con.execute(sql, values).fetchall()
                    con.execute(count_sql, values if "%s" in count_sql else []).fetchone()
                timed(pg, 5)
                pg_times[name] = timed(pg, args.queries)
            con.execute("DROP TABLE bench_opendata")
    except Exception as error:  # no PostgreSQL here: print our figures only
        print(f"PostgreSQL baseline skipped: {error}")
    return pg_times


def report(duck_times: dict[str, list[float]], pg_times: dict[str, list[float]]) -> int:
    status = 0
    for name, times in duck_times.items():
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        line = f"{name}: HTTP API (DuckDB) p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        if name in pg_times:
            q50, q95 = percentile(pg_times[name], 0.5), percentile(pg_times[name], 0.95)
            line += (f"; PostgreSQL (no index, direct) p50 {q50:.1f} ms, p95 {q95:.1f} ms; "
                     f"ratio p50 {q50 / p50:.1f}×, p95 {q95 / p95:.1f}×")
            if name.startswith("equality") and (p95 > 50 or q95 / p95 < 5):
                status = 1
        elif name.startswith("equality") and p95 > 50:
            status = 1
        print(line)
    if status:
        print("TARGET MISSED: equality filter p95 ≤ 50 ms and ≥ 5× PostgreSQL")
    return status


if __name__ == "__main__":
    sys.exit(main())
