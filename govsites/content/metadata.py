"""The mandatory 网页标签 (meta tags) of 《政府网站发展指引》, generated from metadata only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from .models import ColumnPage, ContentItem, SiteHomePage

PUBDATE_FORMAT = "%Y-%m-%d %H:%M"


def format_pub_date(value: Any) -> str:
    """Format a publication time as the national rule requires: YYYY-MM-DD HH:MM (Beijing)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(PUBDATE_FORMAT)


def public_url(page: Any, profile: Any) -> str:
    """Return the page's public address on its registered domain."""
    parts = page.get_url_parts()
    path = parts[2] if parts else page.url_path
    scheme = getattr(settings, "GOVSITES_PUBLIC_SCHEME", "https")
    return f"{scheme}://{profile.domain}{path}" if profile else path


def _column_tags(column: Any) -> list[tuple[str, str]]:
    if isinstance(column, SiteHomePage):
        return [
            ("ColumnName", "首页"),
            ("ColumnDescription", column.intro or column.title),
            ("ColumnKeywords", column.title),
            ("ColumnType", "首页"),
        ]
    return [
        ("ColumnName", column.title),
        ("ColumnDescription", column.description),
        ("ColumnKeywords", column.keywords),
        ("ColumnType", column.column_type),
    ]


def meta_tags(page: Any, profile: Any) -> list[tuple[str, str]]:
    """Return (name, content) pairs for every mandatory and known optional tag of a page."""
    tags: list[tuple[str, str]] = []
    if profile is not None:
        tags += [("SiteName", profile.name), ("SiteDomain", profile.domain),
                 ("SiteIDCode", profile.site_code)]
    if page is None:
        return [(name, " ".join(str(value).split())) for name, value in tags]
    specific = page.specific if hasattr(page, "specific") else page
    if isinstance(specific, SiteHomePage | ColumnPage):
        tags += _column_tags(specific)
    elif isinstance(specific, ContentItem):
        parent = specific.get_parent().specific
        if isinstance(parent, ColumnPage):
            tags += _column_tags(parent)
        original = specific.original
        tags += [
            ("ArticleTitle", specific.title),
            ("PubDate", format_pub_date(original.first_published_at)),
            ("ContentSource", original.content_source()),
        ]
        if original.keywords:
            tags.append(("Keywords", original.keywords))
        if original.author:
            tags.append(("Author", original.author))
        description = original.summary or strip_tags(original.body)[:120].strip()
        if description:
            tags.append(("Description", description))
        if original.cover_image_id and original.cover_image is not None:
            tags.append(("Image", original.cover_image.file.url))
        tags.append(("Url", public_url(specific, profile)))
    return [(name, " ".join(str(value).split())) for name, value in tags]
