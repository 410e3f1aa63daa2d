"""Every SQLite database gets WAL, IMMEDIATE transactions and a busy timeout (issue 8 #5).

A `DATABASE_URL=sqlite://…` used to skip them: during an import every page answered 500 with
"database is locked". The settings are read in a fresh process, as an operator's start reads them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _database_settings(tmp_path: Path, **extra: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update({"GOVSITES_DATA_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "govsites.config.settings.base", **extra})
    code = ("import json, django; from django.conf import settings; django.setup(); "
            "from django.db import connection; connection.ensure_connection(); "
            "mode = connection.cursor().execute('PRAGMA journal_mode').fetchone()[0]; "
            "print(json.dumps({'options': settings.DATABASES['default'].get('OPTIONS', {}), "
            "'journal_mode': mode}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("url", [None, "sqlite:///{tmp}/other.sqlite3"])
def test_any_sqlite_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path,
                                                                   url: str | None) -> None:
    extra = {"DATABASE_URL": url.format(tmp=tmp_path)} if url else {}
    found = _database_settings(tmp_path, **extra)
    options = found["options"]
    assert isinstance(options, dict)
    assert found["journal_mode"] == "wal"
    assert options["transaction_mode"] == "IMMEDIATE"
    assert int(options["timeout"]) >= 5

