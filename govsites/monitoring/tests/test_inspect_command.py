"""`govsites inspect` as a user runs it: on a fresh installation, and what its summary says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]


def _run_inspect(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GOVSITES_DATA_DIR=str(data_dir),
               DJANGO_SETTINGS_MODULE="govsites.config.settings.test")
    return subprocess.run([sys.executable, "-m", "govsites", "inspect", *args],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300,
                          check=False)


def test_inspecting_on_a_database_that_was_never_migrated_works_and_says_what_to_run(
        fixture_site: dict[str, Any], tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = _run_inspect(tmp_path / "data", fixture_site["base"] + "/", "--max-pages", "20",
                        "--delay", "0", "--quiet", "--as-of", "2026-06-30",
                        "--json", str(report))
    assert done.returncode == 0, done.stderr
    assert "OperationalError" not in done.stderr + done.stdout
    assert "数据库尚未初始化" in done.stderr and "govsites migrate" in done.stderr
    assert "结论：" in done.stdout
    assert report.is_file()


def test_no_store_inspects_without_touching_the_database(fixture_site: dict[str, Any],
                                                         tmp_path: Path) -> None:
    done = _run_inspect(tmp_path / "data", fixture_site["base"] + "/", "--max-pages", "10",
                        "--delay", "0", "--quiet", "--no-store")
    assert done.returncode == 0, done.stderr
    assert "数据库" not in done.stderr
    assert "结论：" in done.stdout
