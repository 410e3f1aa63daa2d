"""Signal receivers: keep the static 政府信息公开目录 pages in step with the library.

Publishing rewrites an item, its column and its site's summaries; a 目录 page elsewhere in the
tree lists it too, so publishing or withdrawing an item queues the 目录 pages of the bodies
it belongs to. A 目录 page that goes live or is taken down changes the footer link of every
page of its site (furniture.py), so that site is rebuilt.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished


def catalogue_pages_showing(item: Page) -> list[int]:
    """Live 目录 pages whose body lists the item: it owns it or the item is on its site.

    The answer depends only on the item's ancestors (not the item itself) and its owner, so a
    bulk import's burst of publications asks once per column and owner (burst_memo).
    """
    from govsites.content.imports.bulk import burst_memo

    owner = getattr(item, "owner_organisation_id", None)
    key = ("disclosure.catalogue_pages_showing", item.path[:-Page.steplen], owner)
    return list(burst_memo(key, lambda: _catalogue_pages_showing(item, owner)))


def _catalogue_pages_showing(item: Page, owner: int | None) -> list[int]:
    from .models import DisclosureCataloguePage

    ancestors = Page.objects.ancestor_of(item).values("pk")
    condition = Q(disclosure_body__organisation__sites__site__root_page__in=ancestors)
    if owner:
        condition |= Q(disclosure_body__organisation_id=owner)
    # The few 目录 pages first, then which of them are live: joined to the page table in one
    # query, SQLite walks every page in tree order (1 s at 1,000,000 items) on each publish.
    listing = set(DisclosureCataloguePage.objects.filter(condition).order_by()
                  .values_list("pk", flat=True))
    return sorted(Page.objects.filter(pk__in=listing, live=True).values_list("pk", flat=True))


def _rewrite(page_ids: list[int]) -> None:
    from govsites.publishing.handlers import queue_change

    for pk in page_ids:
        queue_change(pk)


def _rebuild_site(page: Page) -> None:
    """Rewrite every page of the catalogue page's site once the transaction commits."""
    site = page.get_site()
    if site is None:
        return
    from govsites.publishing.tasks import rebuild_all

    site_id = int(site.pk)
    transaction.on_commit(lambda: rebuild_all.enqueue(site_ids=[site_id]))


def _was_live(page: Page) -> bool:
    from govsites.publishing.models import PublishedUrl, UrlState

    return PublishedUrl.objects.filter(page_id=page.pk, state=UrlState.LIVE).exists()


def _on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    from govsites.content.models import ContentItem

    from .models import DisclosureCataloguePage

    if isinstance(instance, DisclosureCataloguePage):
        if not _was_live(instance):
            _rebuild_site(instance)
    elif isinstance(instance, ContentItem):
        _rewrite(catalogue_pages_showing(instance))


def _on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    from govsites.content.models import ContentItem

    from .models import DisclosureCataloguePage

    if isinstance(instance, DisclosureCataloguePage):
        _rebuild_site(instance)
    elif isinstance(instance, ContentItem):
        _rewrite(catalogue_pages_showing(instance))


def connect() -> None:
    """Connect the receivers (called from DisclosureConfig.ready)."""
    page_published.connect(_on_published, dispatch_uid="disclosure.catalogue_on_publish")
    page_unpublished.connect(_on_unpublished, dispatch_uid="disclosure.catalogue_on_withdrawal")
