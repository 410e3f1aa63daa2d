"""The platform's name in the admin's furniture (title, login page, logo), from one setting."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def platform_name() -> str:
    """Return the platform's name (WAGTAIL_SITE_NAME, 政府网站集约化平台)."""
    return str(settings.WAGTAIL_SITE_NAME)
