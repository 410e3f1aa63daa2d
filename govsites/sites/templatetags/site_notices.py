"""{% site_notices site_profile %}: the notices in force on a site's home page (公告)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import notices_in_force

register = template.Library()


@register.inclusion_tag("sites/includes/home_notices.html")
def site_notices(site_profile: Any) -> dict[str, Any]:
    return {"notices": notices_in_force(site_profile) if site_profile is not None else []}
