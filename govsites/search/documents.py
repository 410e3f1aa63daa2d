"""From a live item to its search document (the facet columns, display fields and terms)."""

from __future__ import annotations

from typing import Any

from django.utils.html import strip_tags
from wagtail.models import Page

TEXT_LIMIT = 20_000  # characters of plain text kept for snippets and indexed as body
# Fields of the specific item types that belong to the searchable body.
EXTRA_BODY_FIELDS = ("issuing_authority", "item_name", "legal_basis", "conditions", "materials",
                     "location", "handling_body", "fees", "hours", "procedure")


def _plain(value: Any) -> str:
    text = str(value or "")
    return strip_tags(text) if "<" in text else text


def is_searchable(page: Any) -> bool:
    """An item is searchable while it is live and neither withdrawn nor unpublished."""
    from govsites.content.models import ContentItem

    return (isinstance(page, ContentItem) and page.live
            and page.withdrawn_at is None and page.original.withdrawn_at is None)


#: The analysed fields, each from its text: title and keywords, 文号 and 索引号, body
#: (document_fields fills them in this order).
TERM_FIELDS = ("terms_title", "terms_ids", "terms_body")


def document_fields(page: Any) -> dict[str, Any] | None:
    """Return the SearchDocument field values for a live item, or None when it has no URL.

    The TERM_FIELDS hold the texts to analyse, not yet their terms: `services.index_documents`
    analyses them (in other processes for a rebuild: `pipeline.analysed`)."""
    from govsites.content.models import ColumnPage

    parts = page.get_url_parts()
    if parts is None:
        return None
    site_id, _root, url_path = parts
    original = page.original
    parent = Page.objects.filter(pk=page.get_parent().pk).specific().first()
    column = parent if isinstance(parent, ColumnPage) else None
    published_at = original.first_published_at or page.first_published_at
    topic = original.topic.path if original.topic_id else ""
    body = " ".join(filter(None, [
        _plain(original.summary),
        _plain(original.body),
        *(_plain(getattr(original, name, "")) for name in EXTRA_BODY_FIELDS),
        original.content_source(),
    ]))[:TEXT_LIMIT]
    document_number = getattr(original, "document_number", "") or ""
    return {
        "site_id": site_id,
        "column_id": column.pk if column else None,
        "column_title": column.title if column else "",
        "column_type": column.column_type if column else "",
        "item_type": original._meta.model_name,
        "year": published_at.year if published_at else None,
        "published_at": published_at,
        "topic": topic[:60],
        "validity": getattr(original, "validity", "") or "",
        "title": original.title[:255],
        "url_path": url_path[:1000],
        "document_number": document_number,
        "index_no": original.index_no,
        "text": body,
        "terms_title": f"{original.title} {original.keywords}",
        "terms_ids": f"{document_number} {original.index_no}",
        "terms_body": body,
    }
