"""Keep the public search index current: a receiver of publishing's `pages_published`."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def on_pages_published(sender: Any, pages: list[int], removed: list[int], **kwargs: Any) -> None:
    """Index what the publish task wrote and drop what it took down, in the same task."""
    from . import services

    services.update_index(page_ids=pages, removed_ids=removed)


def connect() -> None:
    from govsites.publishing.signals import pages_published

    pages_published.connect(on_pages_published, dispatch_uid="search.index_published_pages")
