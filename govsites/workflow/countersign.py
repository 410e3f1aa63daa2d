"""会签 (countersigning) inside a step: who signs for which organisation, and what is left.

A `CountersignTask` step starts with one pending `CountersignSignature` per listed organisation
(not the item's own). The holders of the step's role in an organisation whose signature is
pending are that step's reviewers; approving records their organisation's signature, and the
step is approved when none is left. Any of them may send the item back. The services write
(and audit); this module only reads and fills in rows inside their transactions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govsites.accounts.selectors import users_with_role

from .models import CountersignDecision, CountersignSignature, ReviewTaskState


def pending(task_state: ReviewTaskState) -> QuerySet[CountersignSignature]:
    """Return the signatures of a step still awaited, in order."""
    return task_state.signatures.filter(decision=CountersignDecision.PENDING).order_by("pk")


def pending_signature_for(user: Any, task_state: ReviewTaskState) -> CountersignSignature | None:
    """Return the pending signature the user signs for (their organisation's), or None."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return None
    return pending(task_state).filter(organisation_id=organisation_id).first()


def signs_for(user: Any, task_state: ReviewTaskState) -> bool:
    """Say whether the user holds the step's role in an organisation whose signature is due."""
    signature = pending_signature_for(user, task_state)
    if signature is None or not task_state.role:
        return False
    return users_with_role(task_state.role, signature.organisation).filter(pk=user.pk).exists()


def signers(task_state: ReviewTaskState) -> list[Any]:
    """Return everyone who may still sign the step (role holders of pending organisations)."""
    people: list[Any] = []
    if not task_state.role:
        return people
    for signature in pending(task_state).select_related("organisation"):
        people.extend(users_with_role(task_state.role, signature.organisation))
    return people


def open_signatures(task_state: ReviewTaskState, organisations: list[Any]) -> None:
    """Create the pending signatures of a step that has just started."""
    CountersignSignature.objects.bulk_create(
        [CountersignSignature(task_state=task_state, organisation=organisation)
         for organisation in organisations])


def decide(signature: CountersignSignature, *, user: Any, approved: bool, comment: str) -> None:
    """Record one organisation's decision on its signature."""
    signature.decision = CountersignDecision.APPROVED if approved else CountersignDecision.REJECTED
    signature.decided_by = user
    signature.decided_at = timezone.now()
    signature.comment = comment
    signature.save(update_fields=["decision", "decided_by", "decided_at", "comment"])


def summary(task_state: ReviewTaskState) -> list[dict[str, Any]]:
    """Return each organisation's decision so far (for audit records and the admin)."""
    return [{"organisation": s.organisation_id, "name": s.organisation.name,
             "decision": s.decision, "by": s.decided_by_id}
            for s in task_state.signatures.select_related("organisation").order_by("pk")]
