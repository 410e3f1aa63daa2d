"""Template tags for public pages: meta tags, footer identity and date formats."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from govsites.content import metadata

register = template.Library()


@register.inclusion_tag("content/includes/meta_tags.html")
def gov_meta_tags(page: Any, site_profile: Any) -> dict[str, Any]:
    """Render the mandatory 网页标签 for a page."""
    return {"tags": metadata.meta_tags(page, site_profile)}


@register.inclusion_tag("content/includes/footer.html")
def site_footer(site_profile: Any) -> dict[str, Any]:
    """Render the locked footer from the site registry (never from typed template text)."""
    error_url = ""
    if site_profile is not None:
        error_url = settings.GOVSITES_ERROR_REPORT_URL.format(site_code=site_profile.site_code)
    return {"p": site_profile, "error_report_url": error_url}


@register.filter
def pubdate(value: Any) -> str:
    """Format a datetime as YYYY-MM-DD HH:MM in Beijing time."""
    return metadata.format_pub_date(value)


@register.filter
def date_only(value: Any) -> str:
    """Format a datetime as YYYY-MM-DD in Beijing time."""
    return metadata.format_pub_date(value)[:10]


@register.simple_tag
def site_home_url(site_profile: Any) -> str:
    """The home page of the site a page belongs to."""
    if site_profile is None:
        return "/"
    return str(site_profile.site.root_page.url or "/")


HANT_PREFIX = "/zh-hant"
MODE_PATH = "/_govsites/mode/"


def _current_path(context: template.Context) -> str:
    request = context.get("request")
    if request is None:
        return "/"
    return str(request.get_full_path())


@register.inclusion_tag("content/includes/reading_toolbar.html", takes_context=True)
def reading_toolbar(context: template.Context) -> dict[str, Any]:
    """The 简/繁 switch and the 适老化/无障碍 mode switch shown on every page.

    Pages are rendered in 简体; the 繁体 page is made from it by the publisher, which turns
    the switch (between its marker comments) into a link back to the 简体 address.
    """
    from django.utils.http import urlencode

    here = _current_path(context)
    query = urlencode({"next": here})
    return {"hant_href": HANT_PREFIX + here, "hans_href": here,
            "care_href": f"{MODE_PATH}care/?{query}",
            "standard_href": f"{MODE_PATH}standard/?{query}"}


@register.inclusion_tag("content/includes/alternate_links.html", takes_context=True)
def alternate_links(context: template.Context) -> dict[str, Any]:
    """<link rel=alternate> for the 繁体 version and the feeds of the site and column."""
    here = _current_path(context)
    page = context.get("page")
    column_feed = None
    if page is not None and context.get("items_page") is not None:
        column_feed = page.get_url(context.get("request"))
    return {"hant_href": HANT_PREFIX + here, "hans_href": here, "column_feed": column_feed,
            "column_title": getattr(page, "title", "")}
