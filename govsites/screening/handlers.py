"""Signal receivers: any change to the dictionary invalidates every process's cached Screener."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from .models import AllowedContext, AllowedDomain, RuleSetting, RulesetVersion, Term

WATCHED: tuple[type[models.Model], ...] = (Term, AllowedContext, AllowedDomain, RuleSetting)


def bump_ruleset_version(**kwargs: Any) -> None:
    """Give the ruleset a new version token (runs inside the saving transaction)."""
    updated = RulesetVersion.objects.filter(pk=1).update(
        version=models.F("version") + 1, token=uuid.uuid4(),
    )
    if not updated:
        RulesetVersion.objects.create(pk=1, version=1)


def connect() -> None:
    """Connect the receivers; called once from ScreeningConfig.ready()."""
    for model in WATCHED:
        post_save.connect(bump_ruleset_version, sender=model,
                          dispatch_uid=f"screening.bump.save.{model.__name__}")
        post_delete.connect(bump_ruleset_version, sender=model,
                            dispatch_uid=f"screening.bump.delete.{model.__name__}")
