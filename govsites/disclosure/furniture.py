"""The disclosure entry points in every page's footer (registered with content.footer_links):
依申请公开 (the dynamic pages under /disclosure/) on a site with a 公开主体, and the site's
static 政府信息公开目录 page when it has one (the host body's first, else any)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import DisclosureBody, DisclosureCataloguePage


def footer_links(site_profile: Any) -> list[tuple[str, str]]:
    host = site_profile.host_organisation_id
    if not DisclosureBody.objects.filter(Q(organisation_id=host)
                                         | Q(organisation__parent_id=host)).exists():
        return []
    links = [(_("依申请公开"), "/disclosure/")]
    pages = (DisclosureCataloguePage.objects.live()
             .descendant_of(site_profile.site.root_page).order_by("path"))
    page = pages.filter(disclosure_body__organisation_id=host).first() or pages.first()
    if page is not None:
        links.append((_("政府信息公开目录"), str(page.relative_url(site_profile.site))))
    return links
