"""Public views outside the page tree (网站地图)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Site

from govsites.sites.selectors import profile_for_site

from .selectors import site_column_tree


def site_map(request: HttpRequest) -> HttpResponse:
    """网站地图: every live column of the site answering the request."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    home = site.root_page.specific
    return TemplateResponse(request, "content/site_map.html", {
        "page": None, "home": home, "site_profile": profile_for_site(site),
        "columns": site_column_tree(home),
    })
