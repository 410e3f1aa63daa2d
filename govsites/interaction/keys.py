"""Key rotation: re-seal every stored personal value with the current SM4 key.

Run after adding a new key and making it current; values already under it are left alone, so
the command can be interrupted and run again. Afterwards the old key can be removed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govsites.core import audit

from . import audit as actions
from . import crypto
from .models import Enquiry, EnquiryAttachment, ErrorReport

ENQUIRY_FIELDS = ("sealed_content", "sealed_name", "sealed_mobile", "sealed_email")


def _rotate(model: Any, fields: tuple[str, ...], batch_size: int) -> int:
    current = crypto.current_key_id()
    changed = 0
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not rows:
            return changed
        with transaction.atomic():
            for row in rows:
                stale = [f for f in fields
                         if getattr(row, f) and crypto.key_id_of(getattr(row, f)) != current]
                for name in stale:
                    setattr(row, name, crypto.reseal(getattr(row, name)))
                if stale:
                    row.save(update_fields=stale)
                    changed += 1
        last = rows[-1].pk


def _rotate_attachments(batch_size: int) -> int:
    current = crypto.current_key_id().encode()
    changed = 0
    last = 0
    while True:
        rows = list(EnquiryAttachment.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not rows:
            return changed
        with transaction.atomic():
            for row in rows:
                if bytes(row.sealed_data).split(b"$", 1)[0] != current:
                    row.sealed_data = crypto.seal_bytes(crypto.open_sealed_bytes(row.sealed_data))
                    row.save(update_fields=["sealed_data"])
                    changed += 1
        last = rows[-1].pk


def rotate_keys(*, batch_size: int = 500, acting_user: Any = None) -> dict[str, Any]:
    """Re-seal every message's and 找错 report's personal data; return the counts."""
    counts = {"key_id": crypto.current_key_id(),
              "enquiries": _rotate(Enquiry, ENQUIRY_FIELDS, batch_size),
              "error_reports": _rotate(ErrorReport, ("sealed_contact",), batch_size),
              "attachments": _rotate_attachments(batch_size)}
    audit.record(action=actions.KEYS_ROTATE, actor=acting_user, details=counts)
    return counts
