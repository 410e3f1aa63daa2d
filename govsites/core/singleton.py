"""One holder across all nodes: the lock that keeps the periodic scheduler a singleton.

Every node runs `govsites worker`; only the one holding this lock enqueues periodic jobs. On
PostgreSQL the lock is a session-level advisory lock on a connection of its own: it is held
while that connection lives, and the server drops it the moment the holding process dies
(its socket closes) or, for a node that vanished from the network, when TCP keepalive gives
up on it (about GOVSITES_LOCK_KEEPALIVE_SECONDS). Another node's next try then takes it. On
SQLite, which only ever serves one machine, it is an flock on a file beside the database.

(periodic.enqueue_due also locks each job's row, so even two schedulers never enqueue a job
twice within its interval; this lock saves the contention and makes "who schedules" visible.)
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

#: pg_try_advisory_lock's key: the scheduler's, the same on every node ("govsched").
SCHEDULER_LOCK_KEY = int.from_bytes(b"govsched", "big") & 0x7FFF_FFFF_FFFF_FFFF


class SingletonLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if free, or confirm it is still held; return whether it is held."""

    def release(self) -> None:
        """Give the lock up (also done by the server or kernel when the process dies)."""


class FileLock:
    """flock on a file: one holder among the processes of one machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def acquire(self) -> bool:
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "ab")  # noqa: SIM115 - held open for as long as the lock is
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class AdvisoryLock:
    """PostgreSQL session advisory lock on a dedicated autocommit connection."""

    def __init__(self, key: int, database: dict[str, Any]) -> None:
        self.key = key
        self.database = database  # a DATABASES entry: where the lock lives
        self._conn: Any = None

    def _connect(self) -> Any:
        import psycopg

        db = self.database
        keepalive = int(getattr(settings, "GOVSITES_LOCK_KEEPALIVE_SECONDS", 30))
        return psycopg.connect(
            dbname=db.get("NAME") or "", user=db.get("USER") or None,
            password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
            port=str(db.get("PORT") or "") or None, autocommit=True, connect_timeout=5,
            application_name="govsites-scheduler-lock",
            keepalives=1, keepalives_idle=max(1, keepalive // 3),
            keepalives_interval=max(1, keepalive // 6), keepalives_count=3,
            tcp_user_timeout=keepalive * 1000)

    def acquire(self) -> bool:
        try:
            if self._conn is not None:
                self._conn.execute("SELECT 1")  # still ours while the session lives
                return True
            conn = self._connect()
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", [self.key]).fetchone()
            if row and row[0]:
                self._conn = conn
                return True
            conn.close()
            return False
        except Exception as exc:  # the database is unreachable: nobody can hold it for us
            logger.warning("无法确认调度锁（%s），暂停定时任务调度", type(exc).__name__)
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute("SELECT pg_advisory_unlock(%s)", [self.key])
        self._drop()


def scheduler_lock() -> SingletonLock:
    """The scheduler's lock for this installation's database."""
    if connections["default"].vendor == "postgresql":
        return AdvisoryLock(SCHEDULER_LOCK_KEY, dict(settings.DATABASES["default"]))
    name = Path(str(settings.DATABASES["default"]["NAME"]))
    path = name.with_name(name.name + ".scheduler.lock") if name.is_absolute() else (
        Path(settings.DATA_DIR) / "scheduler.lock")
    return FileLock(path)
