"""Writers append to the audit outbox without a shared lock; the chainer links in order."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from govsites.core import audit, periodic
from govsites.core.models import AuditChainHead, AuditRecord
from govsites.core.tasks import chain_audit_records


@pytest.mark.django_db
def test_a_record_is_written_unchained_and_takes_no_chain_head_lock() -> None:
    rec = audit.record(action="core.calendar.update", details={"n": 1})
    rec.refresh_from_db()
    assert (rec.seq, rec.prev_hash, rec.hash) == (None, "", "")
    assert not AuditChainHead.objects.exists()
    assert audit.pending_count() == 1


@pytest.mark.django_db
def test_the_chainer_links_pending_records_in_insertion_order() -> None:
    first = audit.record(action="core.calendar.update", details={"n": 1})
    second = audit.record(action="core.calendar.update", details={"n": 2})
    assert audit.chain_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == audit.GENESIS and second.prev_hash == first.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == second.hash
    assert audit.pending_count() == 0
    assert audit.verify_chain() is None


@pytest.mark.django_db
def test_records_appended_after_a_chained_run_continue_the_same_chain() -> None:
    audit.record(action="core.calendar.update", details={"n": 1})
    audit.chain_pending()
    later = audit.record(action="core.calendar.update", details={"n": 2})
    audit.chain_pending()
    later.refresh_from_db()
    assert later.seq == 2
    assert audit.verify_chain() is None


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_record_to_chain() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action="core.calendar.update", details={"n": 1})
        raise RuntimeError("the change failed")
    assert audit.chain_pending() == 0
    assert not AuditRecord.objects.exists()


@pytest.mark.django_db
def test_the_writer_chains_its_record_right_after_commit(
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rec = audit.record(action="core.calendar.update", details={"n": 1})
    rec.refresh_from_db()
    assert rec.seq == 1 and len(rec.hash) == 64


@pytest.mark.django_db
def test_a_chained_record_that_lost_its_seq_is_not_chained_again_and_is_reported() -> None:
    for n in range(3):
        audit.record(action="core.calendar.update", details={"n": n})
    audit.chain_pending()
    AuditRecord.objects.filter(seq=3).update(seq=None, details={"n": "edited"})
    assert audit.chain_pending() == 0
    problem = audit.verify_chain()
    assert problem is not None and (problem.kind, problem.seq) == ("deleted", 3)


@pytest.mark.django_db
def test_the_periodic_job_chains_what_the_writers_left() -> None:
    audit.record(action="core.calendar.update", details={"n": 1})
    assert "core.audit_chain" in [job.name for job in periodic.jobs()]
    assert chain_audit_records.call() == 1
    assert audit.pending_count() == 0


@pytest.mark.django_db
def test_verify_command_chains_pending_records_before_it_checks(capsys: Any) -> None:
    from django.core.management import call_command

    audit.record(action="core.calendar.update", details={"n": 1})
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "已先将 1 条待链记录链入" in out and "共 1 条记录" in out


@pytest.mark.django_db(transaction=True)
def test_an_open_audited_transaction_does_not_block_another_writer() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time: the outbox matters on PostgreSQL")
    holding = threading.Event()
    release = threading.Event()

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                audit.record(action="core.calendar.update", details={"long": True})
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with transaction.atomic():
            audit.record(action="core.calendar.update", details={"short": True})
        elapsed = time.monotonic() - started
    finally:
        release.set()
        thread.join()
    assert elapsed < 2.0
    audit.chain_pending()
    # Only this test's two records: the fixture that restores a flushed page tree is audited too.
    chained = AuditRecord.objects.exclude(seq=None).filter(action="core.calendar.update")
    assert chained.count() == 2
    assert not AuditRecord.objects.filter(seq=None).exists()
    assert audit.verify_chain() is None


@pytest.mark.django_db
def test_a_transaction_with_many_records_asks_for_one_chaining_step(
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            audit.record(action="core.calendar.update", details={"n": n})
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_writer_chains_only_a_small_batch_after_its_commit(
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(audit.AFTER_COMMIT_BATCH + 5):
            audit.record(action="core.calendar.update", details={"n": n})
    assert audit.pending_count() == 5
    audit.chain_pending()
    assert audit.verify_chain() is None
