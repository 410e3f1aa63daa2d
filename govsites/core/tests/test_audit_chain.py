"""The SM3 chain names the first edited, deleted or inserted record."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from govsites.core import audit
from govsites.core.models import AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db: Any) -> list[Any]:
    """Five records appended through the service, in order, then chained."""
    records = [audit.record(action="core.calendar.update", details={"n": n}) for n in range(1, 6)]
    assert audit.chain_pending() == 5
    for r in records:
        r.refresh_from_db()
    return records


def _forge(*, seq: int, prev_hash: str, details: dict[str, Any]) -> AuditRecord:
    """Write a record the way an intruder with database access would: digest computed right."""
    created_at = timezone.now()
    payload = audit.canonical_payload(
        seq=seq, created_at=created_at, action="core.calendar.update", actor_id=None,
        actor_name="", object_type="", object_id="", object_repr="", organisation_id=None,
        details=details, prev_hash=prev_hash)
    return AuditRecord.objects.create(
        seq=seq, created_at=created_at, action="core.calendar.update", details=details,
        prev_hash=prev_hash, hash=audit.sm3_hex(payload))


def _shift(from_seq: int, by: int) -> None:
    """Renumber records from from_seq on (highest first, so seq stays unique)."""
    order = "-seq" if by > 0 else "seq"
    for r in AuditRecord.objects.filter(seq__gte=from_seq).order_by(order):
        AuditRecord.objects.filter(pk=r.pk).update(seq=r.seq + by)


def test_an_untouched_chain_verifies(chain: list[Any]) -> None:
    assert audit.verify_chain() is None


def test_each_record_carries_the_digest_of_the_one_before(chain: list[Any]) -> None:
    assert chain[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    assert len(chain[0].hash) == 64


def test_an_edited_record_is_reported_at_that_record(chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=3).update(details={"n": 33})
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("edited", 3)
    assert "第 3 条记录" in problem.message


def test_an_edited_actor_name_is_reported_too(chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=2).update(actor_name="别人")
    problem = audit.verify_chain()
    assert problem is not None and (problem.kind, problem.seq) == ("edited", 2)


def test_a_deleted_middle_record_is_reported(chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=3).delete()
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("deleted", 3)
    assert "删除" in problem.message


def test_a_deleted_middle_record_is_reported_when_later_records_were_renumbered(
        chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=3).delete()
    _shift(4, -1)
    AuditChainHead.objects.filter(pk=1).update(last_seq=4)
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("deleted", 3)


def test_a_deleted_last_record_is_reported(chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=5).delete()
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("deleted", 5)
    assert "末尾" in problem.message


def test_a_forged_record_inserted_in_the_middle_is_reported(chain: list[Any]) -> None:
    _shift(3, +1)
    _forge(seq=3, prev_hash=chain[1].hash, details={"n": "forged"})
    AuditChainHead.objects.filter(pk=1).update(last_seq=6)
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("inserted", 3)
    assert "插入" in problem.message


def test_a_forged_record_appended_after_the_head_is_reported(chain: list[Any]) -> None:
    _forge(seq=6, prev_hash=chain[-1].hash, details={"n": "forged"})
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("inserted", 6)


def test_a_forged_record_with_a_skipped_number_is_reported(chain: list[Any]) -> None:
    _forge(seq=7, prev_hash=chain[-1].hash, details={"n": "forged"})
    problem = audit.verify_chain()
    assert problem is not None
    assert problem.kind == "inserted"


def test_a_last_record_replaced_with_a_recomputed_digest_is_caught_by_the_head(
        chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=5).delete()
    _forge(seq=5, prev_hash=chain[3].hash, details={"n": "rewritten"})
    problem = audit.verify_chain()
    assert problem is not None
    assert (problem.kind, problem.seq) == ("edited", 5)


def test_the_first_of_several_problems_is_the_one_reported(chain: list[Any]) -> None:
    AuditRecord.objects.filter(seq=4).update(details={"n": 44})
    AuditRecord.objects.filter(seq=2).delete()
    problem = audit.verify_chain()
    assert problem is not None and problem.seq == 2


def test_a_chain_longer_than_one_batch_verifies(db: Any) -> None:
    for n in range(7):
        audit.record(action="core.calendar.update", details={"n": n})
    audit.chain_pending(batch_size=2)
    assert audit.verify_chain(batch_size=3) is None
    AuditRecord.objects.filter(seq=5).update(object_repr="x")
    problem = audit.verify_chain(batch_size=3)
    assert problem is not None and problem.seq == 5


def test_verify_command_exits_zero_for_an_intact_chain(chain: list[Any], capsys: Any) -> None:
    call_command("audit", "verify")
    assert "审计链完好：共 5 条记录" in capsys.readouterr().out


def test_verify_command_exits_one_and_names_the_first_problem(chain: list[Any],
                                                              capsys: Any) -> None:
    AuditRecord.objects.filter(seq=2).update(details={})
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert "第 2 条记录内容与其摘要不符" in capsys.readouterr().err


def test_a_head_kept_elsewhere_exposes_a_chain_rewritten_from_scratch(chain: list[Any],
                                                                       capsys: Any) -> None:
    call_command("audit", "head")
    anchor = capsys.readouterr().out.strip()
    assert anchor == f"5:{chain[-1].hash}"
    # Rewrite records 4 and 5 consistently, head included: the chain itself looks sound.
    AuditRecord.objects.filter(seq__gte=4).delete()
    fourth = _forge(seq=4, prev_hash=chain[2].hash, details={"n": "x"})
    fifth = _forge(seq=5, prev_hash=fourth.hash, details={"n": "y"})
    AuditChainHead.objects.filter(pk=1).update(last_seq=5, last_hash=fifth.hash)
    assert audit.verify_chain() is None
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--expect", anchor)
    assert "留存的链头" in capsys.readouterr().err


def test_tail_command_lists_the_latest_records_with_their_labels(chain: list[Any],
                                                                 capsys: Any) -> None:
    call_command("audit", "tail", "-n", "2")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("#4 ") and lines[1].startswith("#5 ")
    assert "修改节假日安排" in lines[1]
