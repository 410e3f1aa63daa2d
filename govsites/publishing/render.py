"""Render public pages exactly as Wagtail serves them, through a synthetic request.

The static file and the dynamic answer come from the same `page.serve()` and the same
templates, so a page looks the same whichever way it is reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from wagtail.models import Page, Site

from .variants import TermTable, cluster_hosts, current_terms, html_to_hant


@dataclass(frozen=True)
class SiteInfo:
    """What the publisher needs to know about one Wagtail site."""

    site: Site
    root_page_id: int
    root_url_path: str

    @property
    def site_id(self) -> int:
        return int(self.site.pk)

    @property
    def hostname(self) -> str:
        return str(self.site.hostname)

    @property
    def host_header(self) -> str:
        port = int(self.site.port)
        return self.hostname if port in (80, 443) else f"{self.hostname}:{port}"

    def relative_url(self, page: Page) -> str:
        """Return the page's address relative to its site root ('/' for the home page; an
        item's short address, content/addresses.py)."""
        from govsites.content.addresses import public_path

        return public_path(page, "/" + page.url_path[len(self.root_url_path):])


@dataclass
class RenderSession:
    """Lookups shared by every render of one publishing run."""

    sites: list[SiteInfo]
    terms: TermTable
    cache: dict[str, Any] = field(default_factory=dict)
    hosts: frozenset[str] = frozenset()  # the cluster's host names (variants.cluster_hosts)
    _root_paths: Any = None

    @classmethod
    def load(cls) -> RenderSession:
        sites = [SiteInfo(s, s.root_page_id, s.root_page.url_path)
                 for s in Site.objects.select_related("root_page").order_by("pk")]
        # Longest root first, so nested sites win over the site that contains them.
        sites.sort(key=lambda s: len(s.root_url_path), reverse=True)
        return cls(sites=sites, terms=current_terms(), hosts=cluster_hosts())

    def site_by_id(self, site_id: int) -> SiteInfo | None:
        for info in self.sites:
            if info.site_id == site_id:
                return info
        return None

    def site_for_page(self, page: Page) -> SiteInfo | None:
        for info in self.sites:
            if page.url_path.startswith(info.root_url_path):
                return info
        return None

    def root_paths(self) -> Any:
        if self._root_paths is None:
            self._root_paths = Site.get_site_root_paths()
        return self._root_paths

    def request(self, info: SiteInfo, path: str, query: dict[str, str] | None = None
                ) -> HttpRequest:
        """Build the anonymous GET request a reader would send for this address."""
        request = RequestFactory().get(path, data=query or {}, HTTP_HOST=info.host_header,
                                       SERVER_PORT=str(info.site.port))
        request._wagtail_site = info.site  # type: ignore[attr-defined]
        request._wagtail_cached_site_root_paths = self.root_paths()  # type: ignore[attr-defined]
        request.user = AnonymousUser()
        request.govsites_variant = "hans"  # type: ignore[attr-defined]
        request.govsites_render_cache = self.cache  # type: ignore[attr-defined]
        return request

    def to_hant(self, html: bytes) -> bytes:
        return html_to_hant(html.decode("utf-8"), self.terms, self.hosts).encode("utf-8")


@dataclass(frozen=True)
class RenderedPage:
    """One rendered address of a page (0: the page itself or a listing's newest page;
    N ≥ 1: a listing's older page N)."""

    url_path: str
    page_number: int
    html: bytes


def _content(response: HttpResponse) -> bytes:
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if response.status_code != 200:
        raise RenderError(f"rendering answered HTTP {response.status_code}")
    return bytes(response.content)


class RenderError(Exception):
    """A page could not be rendered for publication."""


def render_page(session: RenderSession, info: SiteInfo, page: Page) -> list[RenderedPage]:
    """Render a live page (a column: its newest listing page; older ones are listing targets)."""
    url = info.relative_url(page)
    return [RenderedPage(url, 0, _content(page.serve(session.request(info, url))))]


def render_listing(session: RenderSession, info: SiteInfo, column: Page, number: int
                   ) -> RenderedPage | None:
    """Render older listing page `number` of a column; None when the column has no such page."""
    url = info.relative_url(column)
    response = column.serve(session.request(info, url, {"page": str(number)}))
    listing = (getattr(response, "context_data", None) or {}).get("items_page")
    if listing is None or listing.number != number:
        return None
    return RenderedPage(url, number, _content(response))


def render_site_map(session: RenderSession, info: SiteInfo) -> bytes:
    """Render the 网站地图 page of a site."""
    from govsites.content.views import site_map

    request = session.request(info, "/site-map/")
    return _content(site_map(request))


def render_errors(session: RenderSession, info: SiteInfo) -> list[tuple[str, bytes]]:
    """The site's error pages as (file name, html), rendered as if asked for its home."""
    from .errors import ERROR_PAGES, error_response

    out = []
    for error in ERROR_PAGES.values():
        response = error_response(session.request(info, "/"), error.status)
        out.append((error.file, bytes(response.content)))
    return out


def load_pages(session: RenderSession, ids: list[int]) -> dict[int, Page]:
    """Load live pages as their specific classes in a few queries, with what their templates
    read (publisher, topic, attachments) and their parent (for 网页标签 and breadcrumbs)."""
    from django.contrib.contenttypes.models import ContentType

    from govsites.content.models import ContentItem

    by_type: dict[int, list[int]] = {}
    for pk, ct in Page.objects.filter(pk__in=ids, live=True).values_list("pk", "content_type_id"):
        by_type.setdefault(ct, []).append(pk)
    pages: dict[int, Page] = {}
    for ct_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        qs = model._default_manager.filter(pk__in=pks)
        if issubclass(model, ContentItem):
            qs = (qs.select_related("publisher", "owner_organisation", "topic__parent",
                                    "cover_image", "alias_of")
                  .prefetch_related("attachments__document"))
        for page in qs:
            pages[page.pk] = page
    parents: dict[str, Page] = session.cache.setdefault("parents", {})
    wanted = {p.path[:-p.steplen] for p in pages.values() if p.depth > 1} - set(parents)
    if wanted:
        for parent in Page.objects.filter(path__in=wanted).specific():
            parents[parent.path] = parent
    for page in pages.values():
        parent = parents.get(page.path[:-page.steplen])
        if parent is not None:
            page._cached_parent_obj = parent
    return pages


@contextmanager
def prefix_like_indexes() -> Iterator[None]:
    """Let SQLite use the tree-path index for Wagtail's descendant queries while publishing.

    treebeard finds descendants with `path LIKE 'prefix%'`; SQLite can only answer that from
    the path index when LIKE is case-sensitive, and otherwise scans every page (1.6 s instead
    of 0.5 s per publish on a 100,000-item cluster). Paths are upper-case base-36, so
    case-sensitive matching is exact for them. The setting is per connection and restored
    afterwards, because Django's icontains relies on SQLite's case-insensitive LIKE.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA case_sensitive_like = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA case_sensitive_like = OFF")
