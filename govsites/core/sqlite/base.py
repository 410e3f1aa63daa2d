"""Django's SQLite backend, with the write transactions of one process queued on a lock.

SQLite lets one writer at a time. The settings begin every transaction IMMEDIATE (it takes the
write lock at BEGIN), and a connection that finds the lock taken waits in SQLite's busy handler:
it sleeps 1, 2, 5, … up to 100 ms and tries again, until the timeout. In a threaded server
(`make run`'s runserver, gunicorn threads) under load, dozens of threads poll like this at
once; the thread that holds the lock must win the interpreter lock against all of them to get
to its COMMIT, and the others wake on their sleep schedule, not when the lock is free. Here a
thread first takes an in-process lock for the database file, so the waiting threads sleep on
it and the next one starts the moment the last one commits; SQLite's own lock still keeps
other processes (the worker, a management command) out, with the same timeout.

Only transactions that take the write lock at BEGIN (IMMEDIATE, EXCLUSIVE) are queued; an
in-memory database is not. The lock is held from BEGIN to COMMIT, ROLLBACK or close, and a
wait longer than the database's timeout fails as SQLite's does ("database is locked").
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
QUEUED_MODES = frozenset({"IMMEDIATE", "EXCLUSIVE"})
# The stubs do not declare the backend's transaction hooks this class extends.
_SQLiteWrapper: Any = base.DatabaseWrapper


def write_lock(name: str) -> threading.Lock:
    """The process's lock for the database file `name`."""
    key = os.path.realpath(name)
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = threading.Lock()
        return lock


class DatabaseWrapper(_SQLiteWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_write_lock: threading.Lock | None = None

    def _queued(self) -> bool:
        return self.transaction_mode in QUEUED_MODES and not self.is_in_memory_db()

    def _start_transaction_under_autocommit(self) -> None:
        if not self._queued() or self._held_write_lock is not None:
            super()._start_transaction_under_autocommit()
            return
        lock = write_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._held_write_lock = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        lock, self._held_write_lock = self._held_write_lock, None
        if lock is not None:
            lock.release()

    def _commit(self) -> Any:
        result = super()._commit()  # a failed COMMIT keeps the lock until the rollback
        self._release_write_lock()
        return result

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_write_lock()
