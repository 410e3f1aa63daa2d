"""Signal receivers: a published release stamps its table versions as released; monitoring
learns how to re-check the tickets open data opens."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published


def _on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import DatasetPage
    from .services import mark_released

    if isinstance(instance, DatasetPage):
        mark_released(dataset=instance)


def connect() -> None:
    """Connect the receivers (called from OpendataConfig.ready)."""
    from govsites.monitoring.services import RECHECKS

    from . import freshness

    page_published.connect(_on_published, dispatch_uid="opendata.mark_released")
    RECHECKS[freshness.RULE_ID] = freshness.recheck
