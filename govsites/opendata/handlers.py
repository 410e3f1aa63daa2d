"""Signal receivers: a published release stamps its table versions as released and has the
cluster's 数据开放 catalogue pages rewritten with it (publishing rewrites a page's own column,
not a catalogue elsewhere in the tree); monitoring learns how to re-check the tickets open data
opens."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
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


def _forget_rules(sender: Any, **kwargs: Any) -> None:
    """A rule setting changed: the API resolves rules afresh now and once more after the commit
    (a call between the save and the commit may have kept the old values)."""
    from django.db import transaction

    from .api import forget_rules

    forget_rules()
    transaction.on_commit(forget_rules)


def connect() -> None:
    """Connect the receivers (called from OpendataConfig.ready)."""
    from govsites.monitoring.services import RECHECKS
    from govsites.rules.models import RuleOverride, VariantChoice

    from . import freshness

    page_published.connect(_on_published, dispatch_uid="opendata.mark_released")
    page_unpublished.connect(_on_unpublished, dispatch_uid="opendata.catalogue_on_withdrawal")
    for model in (RuleOverride, VariantChoice):  # the API's kept rule values (api._rules)
        post_save.connect(_forget_rules, sender=model,
                          dispatch_uid=f"opendata.rules.{model.__name__}")
        post_delete.connect(_forget_rules, sender=model,
                            dispatch_uid=f"opendata.rules_gone.{model.__name__}")
    RECHECKS[freshness.RULE_ID] = freshness.recheck
