"""The audit trail: one record per state change, chained with SM3.

Each record stores the SM3 digest of its own canonical content plus the digest of the record
before it, so an edited, deleted or inserted record breaks the chain at a findable place.

Writers append to an outbox: `record()` inserts the row inside the caller's transaction with
no seq and no digest, so audited transactions never wait for each other. `chain_pending()`
gives the committed rows their seq, predecessor digest and own digest in insertion order,
one short transaction at a time under the chain-head lock. Until it has run, a record is
not yet protected; `govsites audit verify` chains what is pending before it checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .audit_actions import ACTIONS

GENESIS = "0" * 64


def sm3_hex(data: bytes) -> str:
    """Return the SM3 digest of data as lowercase hex (GB/T 32905)."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def canonical_payload(
    *,
    seq: int,
    created_at: datetime,
    action: str,
    actor_id: int | None,
    actor_name: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    organisation_id: int | None,
    details: dict[str, Any],
    prev_hash: str,
) -> bytes:
    """Serialise the fields that the chain protects, deterministically."""
    body = {
        "seq": seq,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": action,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "organisation_id": organisation_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


def record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    organisation: Any = None,
    details: dict[str, Any] | None = None,
) -> Any:
    """Append one audit record to the outbox and return it (not yet chained).

    Call it inside the caller's transaction so the record commits or rolls back with the
    change it describes. It takes no shared lock: the record gets its seq and SM3 digests
    from `chain_pending()`, run right after the caller commits (without waiting for a
    chainer already at work) and by the worker's periodic job `core.audit_chain`.
    """
    from .models import AuditRecord

    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to core.audit_actions")
    clean_details = json.loads(json.dumps(details or {}, ensure_ascii=False, default=str))
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_name = ""
    if actor is not None and actor_id is not None:
        actor_name = getattr(actor, "real_name", "") or actor.get_username()
    object_type = ""
    object_id = ""
    object_repr = ""
    if obj is not None:
        object_type = ContentType.objects.get_for_model(obj, for_concrete_model=False).model
        object_type = f"{obj._meta.app_label}.{object_type}"
        object_id = str(obj.pk)
        object_repr = str(obj)[:300]
    organisation_id = getattr(organisation, "pk", organisation) if organisation else None
    rec = AuditRecord.objects.create(
        seq=None, created_at=timezone.now(), action=action, actor_id=actor_id,
        actor_name=actor_name, object_type=object_type, object_id=object_id,
        object_repr=object_repr, organisation_id=organisation_id, details=clean_details,
    )
    _chain_after_this_transaction()
    return rec


def _chain_after_this_transaction() -> None:
    """Ask for one chaining step after the caller commits (once per transaction)."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(entry[1] is _chain_after_commit
                                    for entry in conn.run_on_commit):
        return
    transaction.on_commit(_chain_after_commit, robust=True)


#: How many records a writer chains after its commit: a small batch, so that a long
#: transaction's thousands of records never land on one editor's save (the worker and the
#: following writers chain the rest).
AFTER_COMMIT_BATCH = 20


def _chain_after_commit() -> None:
    chain_pending(wait=False, batch_size=AFTER_COMMIT_BATCH, max_batches=1)


def _locked_head(*, wait: bool) -> Any:
    """Lock and return the chain head; None when another chainer holds it and wait is False."""
    from .models import AuditChainHead

    locked = AuditChainHead.objects.select_for_update(skip_locked=not wait)
    head = locked.filter(pk=1).first()
    if head is not None:
        return head
    if AuditChainHead.objects.filter(pk=1).exists():
        return None  # busy: that chainer, or the next run, picks our records up
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS)
    except IntegrityError:
        pass  # created by a concurrent chainer a moment ago
    return locked.filter(pk=1).first()


def chain_pending(*, wait: bool = True, batch_size: int = 500,
                  max_batches: int | None = None) -> int:
    """Chain every committed, unchained record in insertion order; return how many.

    Each batch runs in its own short transaction holding the chain head, the only lock of
    the audit trail: writers never wait for it. With wait=False a chainer already at work is
    left to it (the periodic job catches anything it missed). max_batches bounds the work.
    """
    from .models import AuditRecord

    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            head = _locked_head(wait=wait)
            if head is None:
                return total
            # A row that was chained once and then lost its seq is not re-chained: the gap it
            # leaves is what verify reports.
            batch = list(AuditRecord.objects.filter(seq__isnull=True, hash="")
                         .order_by("id")[:batch_size])
            if not batch:
                return total
            for r in batch:
                r.seq = head.last_seq + 1
                r.prev_hash = head.last_hash
                r.hash = _digest_of(r)
                AuditRecord.objects.filter(pk=r.pk, seq__isnull=True).update(
                    seq=r.seq, prev_hash=r.prev_hash, hash=r.hash)
                head.last_seq = r.seq
                head.last_hash = r.hash
            head.save(update_fields=["last_seq", "last_hash"])
        total += len(batch)
    return total


def pending_count() -> int:
    """Return how many records wait to be chained."""
    from .models import AuditRecord

    return AuditRecord.objects.filter(seq__isnull=True, hash="").count()


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the stored chain disagrees with itself."""

    seq: int
    kind: str  # "edited" | "deleted" | "inserted" | "head"
    message: str


def _digest_of(r: Any, *, seq: int | None = None, prev_hash: str | None = None) -> str:
    """Recompute a stored record's digest, optionally as if it had another seq or predecessor."""
    return sm3_hex(canonical_payload(
        seq=r.seq if seq is None else seq, created_at=r.created_at, action=r.action,
        actor_id=r.actor_id, actor_name=r.actor_name, object_type=r.object_type,
        object_id=r.object_id, object_repr=r.object_repr, organisation_id=r.organisation_id,
        details=r.details, prev_hash=r.prev_hash if prev_hash is None else prev_hash,
    ))


def _diagnose(r: Any, *, expected_seq: int, prev_hash: str, prev_prev_hash: str | None
              ) -> ChainProblem | None:
    """Classify the first disagreement at stored record r (None when r is sound).

    prev_hash is the digest of the last sound record, prev_prev_hash the one before it.
    Renumbered records are recognised by recomputing their digest with a neighbouring seq.
    """
    own_ok = _digest_of(r) == r.hash
    linked = r.prev_hash == prev_hash
    if r.seq > expected_seq:
        if own_ok and linked:
            return ChainProblem(r.seq, "inserted",
                                f"第 {r.seq} 条记录序号跳过了第 {expected_seq} 条却与上一条相连，疑似伪造插入")
        return ChainProblem(expected_seq, "deleted", f"第 {expected_seq} 条记录缺失，疑似被删除")
    if own_ok and linked:
        return None
    if not own_ok and linked:
        return ChainProblem(r.seq, "edited", f"第 {r.seq} 条记录内容与其摘要不符，疑似被修改")
    if not own_ok and _digest_of(r, seq=r.seq - 1) == r.hash:
        return ChainProblem(r.seq - 1, "inserted",
                            f"第 {r.seq - 1} 条记录不属于原链（其后记录的序号被整体后移），疑似插入")
    if not own_ok and _digest_of(r, seq=r.seq + 1) == r.hash:
        return ChainProblem(r.seq, "deleted",
                            f"原第 {r.seq} 条记录缺失（其后记录的序号被整体前移），疑似被删除")
    if own_ok and prev_prev_hash is not None and r.prev_hash == prev_prev_hash:
        return ChainProblem(r.seq - 1, "inserted",
                            f"第 {r.seq - 1} 条记录不属于原链（第 {r.seq} 条记录指向它之前的记录），疑似插入")
    if own_ok:
        return ChainProblem(r.seq, "inserted",
                            f"第 {r.seq} 条记录的前序摘要与第 {r.seq - 1} 条不符，疑似在此处插入或删除了记录")
    return ChainProblem(r.seq, "edited", f"第 {r.seq} 条记录内容与其摘要不符，疑似被修改")


def verify_chain(batch_size: int = 2000) -> ChainProblem | None:
    """Walk the chain in order and return the first problem, or None when it is intact.

    Detects an edited record, a deleted one (in the middle or at the tail, with or without
    the later records renumbered), and an inserted one (in the middle with the later records
    renumbered, or after the tail). The chain head is checked last: it must name the last
    record's seq and digest. Someone able to rewrite every later record *and* the head goes
    unnoticed unless the head was copied elsewhere; `govsites audit head` prints it for that
    and `govsites audit verify --expect SEQ:HASH` checks such a copy.
    """
    from .models import AuditChainHead, AuditRecord

    prev_hash = GENESIS
    prev_prev_hash: str | None = None
    expected_seq = 1
    last_seq = 0
    while True:
        rows = list(AuditRecord.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not rows:
            break
        for r in rows:
            problem = _diagnose(r, expected_seq=expected_seq, prev_hash=prev_hash,
                                prev_prev_hash=prev_prev_hash)
            if problem is not None:
                return problem
            prev_prev_hash = prev_hash
            prev_hash = r.hash
            expected_seq += 1
            last_seq = r.seq or 0  # rows come from seq__gt, never None
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if last_seq:
            return ChainProblem(1, "head", "审计链头缺失，无法确认末尾记录是否完整")
        return None
    if head.last_seq > last_seq:
        return ChainProblem(last_seq + 1, "deleted",
                            f"链头记录到第 {head.last_seq} 条，实际只有 {last_seq} 条，末尾记录疑似被删除")
    if head.last_seq < last_seq:
        return ChainProblem(head.last_seq + 1, "inserted",
                            f"链头记录到第 {head.last_seq} 条，其后的第 {head.last_seq + 1} 条记录疑似被插入")
    if head.last_hash != prev_hash:
        return ChainProblem(last_seq, "edited",
                            f"第 {last_seq} 条记录与链头保存的摘要不符，疑似被替换")
    return None


def chain_contains(seq: int, digest: str) -> bool:
    """Say whether the record with this seq still carries this digest (an external anchor)."""
    from .models import AuditRecord

    return AuditRecord.objects.filter(seq=seq, hash=digest.lower()).exists()
