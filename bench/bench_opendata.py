"""Open data benchmark: ingest a generated table, then filtered and paginated `rows` queries
through the same query function the API view calls (DuckDB over Parquet), against the same
table loaded into PostgreSQL without an index (CKAN's datastore approach), in the same run.

    python bench/bench_opendata.py [--rows N] [--queries Q] [--database-url URL]

Default 200,000 rows × 20 columns (`make bench`); the issue's size is --rows 5000000. Needs
PostgreSQL at --database-url (default postgres://postgres@127.0.0.1:5432/govsites_opendata);
without it only the DuckDB figures are printed. Targets: equality-filter p95 ≤ 50 ms and ≥ 5×
faster than PostgreSQL without an index.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_OPENDATA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/govsites_opendata"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsites.config.settings.test")
    from govsites.opendata.ingest import ingest
    from govsites.opendata.query import fetch_rows, parse_query
    from govsites.screening import Screener, national_ruleset

    work = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    source = work / "table.csv"
    generate(source, args.rows)
    size_mb = source.stat().st_size / 1e6
    print(f"table: {args.rows:,} rows × 20 columns, {size_mb:.0f} MB CSV")
    start = time.perf_counter()
    with source.open("rb") as handle:
        result = ingest(filename="table.csv", data=handle, declared_schema=None,
                        screener=Screener.from_ruleset(national_ruleset()))
    ingest_s = time.perf_counter() - start
    print(f"ingest (decode, frictionless validation, Parquet, screening of every cell): "
          f"{ingest_s:.1f} s ({args.rows / ingest_s:,.0f} rows/s), findings {len(result.hits)}")
    schema = result.schema
    rng = random.Random(7)

    def duck(filters: list[str], offset: int = 0) -> None:
        query = parse_query(schema=schema, filters=filters, offset=offset, limit=100,
                            default_limit=100, max_limit=1000)
        fetch_rows(result.parquet, schema, query)

    cases = {
        "equality filter (地区 = x)": (lambda: duck([f"地区:eq:{rng.choice(DISTRICTS)}"]),
                                      "SELECT * FROM bench WHERE \"地区\" = %s LIMIT 100 OFFSET 0",
                                      lambda: [rng.choice(DISTRICTS)],
                                      "SELECT count(*) FROM bench WHERE \"地区\" = %s"),
        "range filter (人口 > x, 年份 = y)": (
            lambda: duck([f"人口:gt:{rng.randint(0, 99999)}", f"年份:eq:{rng.randint(2000, 2024)}"]),
            "SELECT * FROM bench WHERE \"人口\" > %s AND \"年份\" = %s LIMIT 100 OFFSET 0",
            lambda: [rng.randint(0, 99999), rng.randint(2000, 2024)],
            "SELECT count(*) FROM bench WHERE \"人口\" > %s AND \"年份\" = %s"),
        "paginated rows (offset deep)": (lambda: duck([], offset=rng.randint(0, args.rows - 100)),
                                         "SELECT * FROM bench LIMIT 100 OFFSET %s",
                                         lambda: [rng.randint(0, args.rows - 100)],
                                         "SELECT count(*) FROM bench"),
    }
    duck_times = {name: timed(case[0], args.queries) for name, case in cases.items()}
    pg_times: dict[str, list[float]] = {}
    try:
        import psycopg

        with psycopg.connect(args.database_url.replace("postgres://", "postgresql://"),
                             autocommit=True) as con:
            columns = ", ".join(f'"{f["name"]}" ' + {"integer": "bigint", "number": "double precision",
                                                    "boolean": "boolean", "date": "date"}
                                .get(f["type"], "text") for f in schema["fields"])
            con.execute("DROP TABLE IF EXISTS bench")
            con.execute(f"CREATE TABLE bench ({columns})")
            start = time.perf_counter()
            with source.open("rb") as handle, con.cursor().copy(
                    "COPY bench FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            con.execute("ANALYZE bench")
            print(f"PostgreSQL COPY load (CKAN xloader's way): {time.perf_counter() - start:.1f} s")
            for name, (_duck, sql, params, count_sql) in cases.items():
                def pg(sql: str = sql, params=params, count_sql: str = count_sql) -> None:  # type: ignore[no-untyped-def]
                    values = params()
                    con.execute(sql, values).fetchall()
                    con.execute(count_sql, values if "%s" in count_sql else []).fetchone()
                pg_times[name] = timed(pg, args.queries)
            con.execute("DROP TABLE bench")
    except Exception as error:  # no PostgreSQL here: print our figures only
        print(f"PostgreSQL baseline skipped: {error}")
    status = 0
    for name, times in duck_times.items():
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        line = f"{name}: DuckDB p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        if name in pg_times:
            q50, q95 = percentile(pg_times[name], 0.5), percentile(pg_times[name], 0.95)
            line += (f"; PostgreSQL (no index) p50 {q50:.1f} ms, p95 {q95:.1f} ms; "
                     f"ratio p50 {q50 / p50:.1f}×, p95 {q95 / p95:.1f}×")
            if name.startswith("equality") and (p95 > 50 or q95 / p95 < 5):
                status = 1
        print(line)
    print(f"median of all DuckDB equality queries: {statistics.median(duck_times['equality filter (地区 = x)']):.1f} ms")
    result.cleanup()
    source.unlink()
    return status


if __name__ == "__main__":
    sys.exit(main())
