"""IS-14 (丹东 第37条; 梅州 第38条): where `inspection.results_published` is on, the period's 通报
is also published on the cluster's portal, as an item of its 通知公告 column.

The item is made and published through content's services like any item (so the publishing
app deploys it and every content rule applies). The one module of monitoring that writes
content: the import contract names it as the exception.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.html import escape

from govsites.content import selectors as content_selectors
from govsites.content.choices import ColumnType, DisclosureMode
from govsites.content.models import ArticlePage
from govsites.content.services import create_column, publish_item, unique_child_slug
from govsites.sites.choices import SiteKind
from govsites.sites.selectors import all_sites

NOTICE_COLUMN_TITLE = "通知公告"


def _portal() -> Any:
    return all_sites().filter(kind=SiteKind.PORTAL).order_by("pk").first()


def _notice_column(home: Any) -> Any:
    """The portal's first 通知公告 column; a first-level one is made when it has none."""
    for column, _depth in content_selectors.site_column_tree(home):
        if column.column_type == ColumnType.NOTICE:
            return column
    return create_column(parent=home, title=NOTICE_COLUMN_TITLE, column_type=ColumnType.NOTICE,
                         description="本网站发布的通知、公告和通报", keywords="通知公告",
                         acting_user=None, slug="tzgg")


def publish_on_portal(*, title: str, summary: str, paragraphs: list[str], slug: str) -> Any:
    """Publish the 通报 as an article of the portal's 通知公告 column, proactively disclosed by
    the portal's organisation; returns the item, or None when the cluster has no portal."""
    portal = _portal()
    if portal is None:
        return None
    with transaction.atomic():
        column = _notice_column(portal.site.root_page.specific)
        organisation = portal.host_organisation
        body = "".join(f"<p>{escape(text)}</p>" for text in [summary, *paragraphs])
        item = ArticlePage(title=title, slug=unique_child_slug(column, slug), body=body,
                           live=False, summary=summary, owner=None,
                           disclosure_mode=DisclosureMode.PROACTIVE,
                           owner_organisation=organisation, publisher=organisation)
        column.add_child(instance=item)
        return publish_item(item=item, acting_user=None)
