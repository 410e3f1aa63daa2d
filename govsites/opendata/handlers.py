"""Signal receivers: a published release stamps its table versions as released and has the
cluster's 数据开放 catalogue pages rewritten with it (publishing rewrites a page's own column,
not a catalogue elsewhere in the tree); monitoring learns how to re-check the tickets open data
opens."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published, page_unpublished


def _on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import DatasetPage
    from .services import mark_released

    if isinstance(instance, DatasetPage):
        mark_released(dataset=instance)
        _rewrite_catalogues()


def _on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import DatasetPage

    if isinstance(instance, DatasetPage):
        _rewrite_catalogues()


def _rewrite_catalogues() -> None:
    from govsites.publishing.handlers import queue_change

    from .models import DataCatalogPage

    for pk in DataCatalogPage.objects.live().values_list("pk", flat=True):
        queue_change(pk)


def connect() -> None:
    """Connect the receivers (called from OpendataConfig.ready)."""
    from govsites.monitoring.services import RECHECKS

    from . import freshness

    page_published.connect(_on_published, dispatch_uid="opendata.mark_released")
    page_unpublished.connect(_on_unpublished, dispatch_uid="opendata.catalogue_on_withdrawal")
    RECHECKS[freshness.RULE_ID] = freshness.recheck
