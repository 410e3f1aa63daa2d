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

Processes queue the same way: after the thread lock a writer takes an exclusive flock on
the file `<database>-writelock` beside the database, which every process using this backend
(the web server's workers, the task worker, commands) takes before BEGIN. A process waiting
for it tries again within 2 ms of its release, not on the busy handler's schedule, and the
kernel drops a dead process's flock with it. Where flock does not exist (not POSIX), only the
threads of a process are queued.

Only transactions that take the write lock at BEGIN (IMMEDIATE, EXCLUSIVE) are queued; an
in-memory database is not. The locks are held from BEGIN to COMMIT, ROLLBACK or close, and a
wait longer than the database's timeout fails as SQLite's does ("database is locked").
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not POSIX: the threads of a process are still queued
    fcntl = None  # type: ignore[assignment]

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_lock_files: dict[tuple[int, str], int] = {}  # (process id, database) -> lock file descriptor
QUEUED_MODES = frozenset({"IMMEDIATE", "EXCLUSIVE"})
LOCK_FILE_SUFFIX = "-writelock"
MAX_RETRY_SECONDS = 0.002  # a process waiting for the file lock tries again at least this often
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


def lock_file(name: str) -> int | None:
    """This process's descriptor of the lock file of database `name` (None without flock).

    Opened per process id: a descriptor inherited through fork shares its lock with the parent,
    which would let both in at once."""
    if fcntl is None:
        return None
    key = (os.getpid(), os.path.realpath(name))
    with _locks_guard:
        fd = _lock_files.get(key)
        if fd is None:
            fd = _lock_files[key] = os.open(key[1] + LOCK_FILE_SUFFIX,
                                            os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return fd


def _take_file_lock(fd: int, deadline: float) -> bool:
    delay = 0.0001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)


class DatabaseWrapper(_SQLiteWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_write_lock: threading.Lock | None = None
        self._held_lock_file: int | None = None

    def _queued(self) -> bool:
        return self.transaction_mode in QUEUED_MODES and not self.is_in_memory_db()

    def _start_transaction_under_autocommit(self) -> None:
        if not self._queued() or self._held_write_lock is not None:
            super()._start_transaction_under_autocommit()
            return
        name = str(self.settings_dict["NAME"])
        lock = write_lock(name)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        if not lock.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._held_write_lock = lock
        try:
            fd = lock_file(name)
            if fd is not None:
                if not _take_file_lock(fd, deadline):
                    raise OperationalError("database is locked")
                self._held_lock_file = fd
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        fd, self._held_lock_file = self._held_lock_file, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
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
