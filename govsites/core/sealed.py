"""Which model fields hold sealed personal data, and re-sealing them after a key change.

Each app that stores sealed values registers its fields from its AppConfig.ready() with
`register`; `rotate_keys` (run by `govsites rotate_personal_data_keys`) then re-seals every
registered value that is not under the current key, in batches, so it can be interrupted and
run again. A test checks that every model field whose name starts with ``sealed_`` is registered,
so a new field cannot be forgotten by the rotation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from govsites.core import audit, crypto

ROTATE_ACTION = "core.keys.rotate"


@dataclass(frozen=True)
class SealedFields:
    """The sealed fields of one model.

    `opener` opens a text value that may predate the common format (an app's legacy values);
    `refresh` recomputes fields derived from the sealed data after re-sealing (a keyed digest)
    and returns their names.
    """

    model: type[models.Model]
    text: tuple[str, ...] = ()
    binary: tuple[str, ...] = ()
    opener: Callable[[str], str] = crypto.open_sealed
    refresh: Callable[[Any], list[str]] | None = None

    def describe(self) -> str:
        return str(self.model._meta.verbose_name)


_REGISTRY: dict[str, SealedFields] = {}


def register(entry: SealedFields) -> None:
    """Declare a model's sealed fields (apps call this from ready())."""
    _REGISTRY[entry.model._meta.label] = entry


def registered() -> Iterator[SealedFields]:
    return iter(sorted(_REGISTRY.values(), key=lambda e: e.model._meta.label))


def _stale(entry: SealedFields, row: Any, current: str) -> list[str]:
    names = [name for name in entry.text
             if getattr(row, name) and crypto.key_id_of(getattr(row, name)) != current]
    names += [name for name in entry.binary
              if getattr(row, name) is not None
              and crypto.key_id_of_bytes(getattr(row, name)) != current]
    return names


def _rotate_model(entry: SealedFields, batch_size: int,
                  progress: Callable[[str, int], None] | None) -> int:
    current = crypto.current_key_id()
    changed = 0
    last: Any = None
    manager = entry.model._default_manager
    while True:
        batch = manager.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        rows = list(batch[:batch_size])
        if not rows:
            return changed
        # Everything is opened before anything is written: a value that cannot be opened
        # (a key already removed) stops the run with this batch unchanged.
        with transaction.atomic():
            for row in rows:
                stale = _stale(entry, row, current)
                if not stale:
                    continue
                for name in stale:
                    value = getattr(row, name)
                    if name in entry.text:
                        setattr(row, name, crypto.seal(entry.opener(value)))
                    else:
                        setattr(row, name, crypto.reseal_bytes(value))
                if entry.refresh is not None:
                    stale += entry.refresh(row)
                row.save(update_fields=stale)
                changed += 1
        last = rows[-1].pk
        if progress is not None:
            progress(entry.describe(), changed)


def rotate_keys(*, batch_size: int = 500, acting_user: Any = None,
                progress: Callable[[str, int], None] | None = None) -> dict[str, Any]:
    """Re-seal every registered personal value with the current key; return the counts."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    counts: dict[str, int] = {}
    for entry in registered():
        counts[entry.model._meta.label] = _rotate_model(entry, batch_size, progress)
    result = {"key_id": crypto.current_key_id(), "records": counts}
    audit.record(action=ROTATE_ACTION, actor=acting_user, details=result)
    return result
