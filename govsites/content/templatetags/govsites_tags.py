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
