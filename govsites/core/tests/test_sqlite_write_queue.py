"""The embedded mode's SQLite backend queues a process's write transactions on a lock, from
BEGIN to COMMIT or ROLLBACK, so waiting threads sleep on it instead of polling SQLite."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction

from govsites.core.sqlite.base import write_lock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the write queue is the SQLite backend's")


def _lock() -> threading.Lock:
    return write_lock(str(connection.settings_dict["NAME"]))


def _in_thread(work: Any) -> list[Any]:
    """Run `work` in another thread on its own connection; return what it returned or raised."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(work())
        except Exception as error:  # handed to the test
            out.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return out


def test_the_shipped_settings_use_the_queueing_backend_with_immediate_transactions(
        sqlite: None) -> None:
    assert connection.settings_dict["ENGINE"] == "govsites.core.sqlite"
    assert connection.transaction_mode == "IMMEDIATE"


def test_a_write_transaction_holds_the_lock_until_commit_and_rollback_and_close_free_it(
        sqlite: None) -> None:
    assert not _lock().locked()
    with transaction.atomic():
        assert _lock().locked()
        with transaction.atomic():  # a savepoint takes nothing more
            assert _lock().locked()
    assert not _lock().locked()

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert _lock().locked()
        1 / 0  # noqa: B018
    assert not _lock().locked()

    def left_open_then_closed() -> tuple[bool, bool]:
        """A transaction left open, as by a dying request, then its connection closed."""
        transaction.atomic().__enter__()
        held = _lock().locked()
        connection.close()
        return held, _lock().locked()

    assert _in_thread(left_open_then_closed) == [(True, False)]


def test_a_second_thread_waits_for_the_first_writer_and_then_writes(sqlite: None) -> None:
    from django.contrib.auth.models import Group

    started = threading.Event()

    def second_writer() -> int:
        started.set()
        with transaction.atomic():
            return Group.objects.create(name="second").pk

    with transaction.atomic():
        Group.objects.create(name="first")
        thread_result: list[Any] = []
        thread = threading.Thread(target=lambda: thread_result.extend(_in_thread(second_writer)))
        thread.start()
        started.wait(5)
        thread.join(timeout=0.3)
        assert thread.is_alive()  # queued behind this transaction
    thread.join(timeout=30)
    assert isinstance(thread_result[0], int)
    assert set(Group.objects.values_list("name", flat=True)) >= {"first",
                                                                   "second"}


def test_a_writer_waiting_longer_than_the_timeout_fails_as_sqlite_would(
        sqlite: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.models import Group

    def impatient_writer() -> Any:
        options = connection.settings_dict["OPTIONS"]
        monkeypatch.setitem(options, "timeout", 0.2)
        with transaction.atomic():
            return Group.objects.create(name="late").pk

    with transaction.atomic():
        result = _in_thread(impatient_writer)
    assert isinstance(result[0], OperationalError) and "locked" in str(result[0])
    assert not Group.objects.filter(name="late").exists()


def _other_process_holds_the_file_lock() -> int:
    """Take the database's lock file as another process would: its own open file, its own
    flock (flock conflicts between open files, not only between processes)."""
    import fcntl
    import os

    from govsites.core.sqlite.base import LOCK_FILE_SUFFIX

    fd = os.open(str(connection.settings_dict["NAME"]) + LOCK_FILE_SUFFIX, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_a_writer_waits_while_another_process_holds_the_file_lock_and_writes_after(
        sqlite: None) -> None:
    import fcntl
    import os

    from django.contrib.auth.models import Group

    def writer() -> int:
        with transaction.atomic():
            return Group.objects.create(name="after the other process").pk

    fd = _other_process_holds_the_file_lock()
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.extend(_in_thread(writer)))
    try:
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting for the other process's transaction
        assert not Group.objects.filter(name="after the other process").exists()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    thread.join(timeout=30)
    assert isinstance(result[0], int)
    assert Group.objects.filter(name="after the other process").exists()


def test_a_writer_gives_up_on_the_other_process_after_the_timeout_and_frees_its_thread_lock(
        sqlite: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import os

    from django.contrib.auth.models import Group

    def impatient_writer() -> Any:
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
        with transaction.atomic():
            return Group.objects.create(name="late").pk

    fd = _other_process_holds_the_file_lock()
    try:
        result = _in_thread(impatient_writer)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert isinstance(result[0], OperationalError) and "locked" in str(result[0])
    assert not _lock().locked()
    assert not Group.objects.filter(name="late").exists()
