"""The periodic scheduler is a singleton across nodes: one lock, taken over when its holder dies."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from govsites.core.singleton import SCHEDULER_LOCK_KEY, AdvisoryLock, FileLock, scheduler_lock
from govsites.testing.tools import require

PG = {"NAME": "postgres", "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432"}


def _postgres_reachable() -> bool:
    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def test_a_second_holder_is_refused_until_the_first_releases(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "s.lock"), FileLock(tmp_path / "s.lock")
    assert first.acquire() is True
    assert first.acquire() is True  # confirming keeps it
    assert second.acquire() is False
    first.release()
    assert second.acquire() is True
    second.release()


def test_the_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "s.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from govsites.core.singleton import FileLock;"
         f"from pathlib import Path; lock = FileLock(Path({str(path)!r})); assert lock.acquire();"
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        mine = FileLock(path)
        assert mine.acquire() is False
        holder.kill()
        holder.wait()
        assert mine.acquire() is True
        mine.release()
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.optional_tool
def test_on_postgresql_one_session_holds_the_advisory_lock_and_a_dead_one_lets_go() -> None:
    require(_postgres_reachable(), "PostgreSQL is not running at 127.0.0.1:5432")
    key = SCHEDULER_LOCK_KEY - 1  # not the real scheduler's key: a running worker may hold it
    first, second = AdvisoryLock(key, PG), AdvisoryLock(key, PG)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        first._conn.close()  # the holder's session ends as when its process dies
        first._conn = None
        # The server lets go when the dead session's backend has exited, a moment after the
        # client closed (longer on a busy machine): wait for that, up to a few seconds.
        deadline = time.monotonic() + 10
        while not second.acquire() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert second.acquire() is True
        assert second.acquire() is True
    finally:
        first.release()
        second.release()


def test_an_unreachable_database_means_not_holding() -> None:
    from govsites.testing.tools import free_port

    assert AdvisoryLock(SCHEDULER_LOCK_KEY, {**PG, "PORT": str(free_port())}).acquire() is False


def test_sqlite_installations_lock_a_file_beside_the_database(settings: Any) -> None:
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        pytest.skip("the file lock is the SQLite installation's")
    lock = scheduler_lock()
    assert isinstance(lock, FileLock)
    assert lock.path.name.endswith(".scheduler.lock")
