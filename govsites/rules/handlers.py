"""Signal receivers of the rules app: a change to the rule settings drops the kept snapshots."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _changed(sender: Any, **kwargs: Any) -> None:
    from .resolve import forget

    forget()  # this transaction's next read
    transaction.on_commit(forget)  # and a read kept by another thread before the commit


def connect() -> None:
    from .models import RuleOverride, VariantChoice

    for model in (RuleOverride, VariantChoice):
        post_save.connect(_changed, sender=model, dispatch_uid=f"rules.{model.__name__}.save")
        post_delete.connect(_changed, sender=model,
                            dispatch_uid=f"rules.{model.__name__}.delete")
