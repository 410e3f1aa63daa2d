"""Visit-log benchmark: `govsites visits import` speed against plain line loops over the same file.

Run from the repository root: `python bench/bench_visits.py [--lines 300000]`. It migrates a
temporary SQLite database, registers two sites, writes a generated log in the `govsites_visits`
format (samplelog: people, crawlers, 404s, referrers, search terms) and times
  (a) baselines on the same file: `wc -l` and a plain Python loop that splits every line;
  (b) the import (read, classify, digest visitors, write the daily aggregates in one
      transaction), on a fresh database row set.
Target: at least 100,000 lines a second for the import. A miss prints TARGET MISSED and
exits non-zero. Ratios against the baselines are printed so a slow machine reads the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_LINES_PER_SECOND = 100_000


def setup_django(data_dir: Path) -> None:
    os.environ["GOVSITES_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govsites.config.settings.base"
    os.environ.setdefault("GOVSITES_ENV", "embedded")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300_000)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="govsites-bench-visits-"))
    try:
        setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
        return run(data_dir, args.lines)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(data_dir: Path, lines: int) -> int:
    from govsites import testing
    from govsites.operations import ingest
    from govsites.operations.samplelog import sample_lines

    portal = testing.make_site()
    testing.make_site(name="示例市教育局", kind="department", domain="jyj.shili.gov.cn",
                      hostname="jyj.localhost", portal=portal, is_default=False)
    paths = ["/", "/xxgk/", "/zwgk/zcwj/", *(f"/news/{n}.html" for n in range(200))]
    log = data_dir / "visits.log"
    per_day = lines // (2 * 30)
    with log.open("w", encoding="ascii") as out:
        out.writelines(sample_lines(hosts=["localhost", "jyj.localhost"], paths=paths,
                                    start=dt.date(2026, 11, 1), days=30, per_day=per_day))
    count = sum(1 for _ in log.open("rb"))
    print(f"log: {count} lines, {log.stat().st_size / 1e6:.1f} MB")

    t = time.perf_counter()
    subprocess.run(["wc", "-l", str(log)], check=True, capture_output=True)
    wc = time.perf_counter() - t
    t = time.perf_counter()
    fields = 0
    with log.open(encoding="utf-8") as stream:
        for text in stream:
            fields += len(text.split("\t"))
    loop = time.perf_counter() - t

    t = time.perf_counter()
    [result] = ingest.import_logs(paths=[log])
    took = time.perf_counter() - t
    assert result.lines == count, (result.lines, count)
    rate = count / took
    print(f"baseline wc -l:            {wc:.3f} s ({count / wc:,.0f} lines/s)")
    print(f"baseline Python split loop: {loop:.3f} s ({count / loop:,.0f} lines/s)")
    print(f"govsites visits import:     {took:.3f} s ({rate:,.0f} lines/s)")
    print(f"ratio import / Python loop: {took / loop:.1f}x; import / wc -l: {took / wc:.1f}x")
    if rate < TARGET_LINES_PER_SECOND:
        print(f"TARGET MISSED: {rate:,.0f} < {TARGET_LINES_PER_SECOND:,} lines/s")
        return 1
    print(f"target met: ≥ {TARGET_LINES_PER_SECOND:,} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
