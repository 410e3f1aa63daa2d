"""What to (re)write: targets, and the dependents of a changed page.

A target is one unit of output with a stable key stored in the manifest, so the guard can
re-render any damaged file from the database:
  page:<site>:<page id>      a page (a column: every listing page), 简体 and 繁体
  sitemap_page:<site>:0      the 网站地图 page, 简体 and 繁体
  feeds:<site>:<column|0>    RSS and Atom of a column (0: the whole site)
  sitemap:<site>:<chunk>     one sitemap chunk
  sitemap_index:<site>:0     sitemap.xml
  robots:<site>:0            robots.txt
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wagtail.models import Page

from govsites.content.models import (
    ColumnPage,
    ContentItem,
    InterpretationPage,
    PolicyDocumentPage,
    SiteHomePage,
)

from .feeds import SITEMAP_CHUNK, sitemap_chunks
from .render import RenderSession, SiteInfo

KINDS = ("page", "sitemap_page", "feeds", "sitemap", "sitemap_index", "robots")


@dataclass(frozen=True, order=True)
class Target:
    kind: str
    site_id: int
    object_id: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.site_id}:{self.object_id}"

    @classmethod
    def parse(cls, key: str) -> Target:
        kind, site_id, object_id = key.split(":")
        if kind not in KINDS:
            raise ValueError(f"unknown target kind {kind!r}")
        return cls(kind, int(site_id), int(object_id))


def site_targets(session: RenderSession, info: SiteInfo) -> list[Target]:
    """Every target of one site: what a full rebuild writes."""
    home = Page.objects.get(pk=info.root_page_id)
    page_ids = list(Page.objects.live().descendant_of(home, inclusive=True)
                    .order_by("path").values_list("pk", flat=True))
    column_ids = list(ColumnPage.objects.live().descendant_of(home)
                      .values_list("pk", flat=True))
    sid = info.site_id
    targets = [Target("page", sid, pk) for pk in page_ids]
    targets.append(Target("sitemap_page", sid))
    targets.append(Target("feeds", sid, 0))
    targets += [Target("feeds", sid, pk) for pk in column_ids]
    targets += [Target("sitemap", sid, c) for c in sitemap_chunks(info)]
    targets += [Target("sitemap_index", sid), Target("robots", sid)]
    return targets


def _placements(item: ContentItem) -> list[Page]:
    original = item.original
    return [original, *Page.objects.filter(alias_of=original)]


@dataclass
class Plan:
    """Targets to write plus pages whose addresses must be re-checked (gone or moved)."""

    targets: set[Target]
    touched_page_ids: set[int]


def _home_and_site_feeds(info: SiteInfo, plan: Plan) -> None:
    sid = info.site_id
    plan.targets.add(Target("page", sid, info.root_page_id))
    plan.targets.add(Target("feeds", sid, 0))
    plan.targets.add(Target("sitemap_index", sid))


def _add_placement(session: RenderSession, page: Page, plan: Plan) -> None:
    """A page at one place: itself, its column listing, its site's home, feeds, sitemap."""
    info = session.site_for_page(page)
    if info is None:
        return
    sid = info.site_id
    plan.touched_page_ids.add(page.pk)
    plan.targets.add(Target("page", sid, page.pk))
    plan.targets.add(Target("sitemap", sid, page.pk // SITEMAP_CHUNK))
    _home_and_site_feeds(info, plan)
    parent = page.get_parent()
    if parent is not None and parent.pk != info.root_page_id and parent.depth > 1:
        plan.targets.add(Target("page", sid, parent.pk))
        plan.targets.add(Target("feeds", sid, parent.pk))


def _add_column(session: RenderSession, column: Page, plan: Plan) -> None:
    """A column: itself and its parent listing, plus every page below (breadcrumbs); a
    first-level column shown in the menu changes the navigation of every page of the site."""
    info = session.site_for_page(column)
    if info is None:
        return
    sid = info.site_id
    _add_placement(session, column, plan)
    plan.targets.add(Target("sitemap_page", sid))
    plan.targets.add(Target("feeds", sid, column.pk))
    in_nav = column.depth == Page.objects.get(pk=info.root_page_id).depth + 1 and (
        column.show_in_menus or Page.objects.filter(pk=column.pk, show_in_menus=True).exists())
    scope = (Page.objects.get(pk=info.root_page_id) if in_nav else column)
    for pk in Page.objects.descendant_of(scope, inclusive=True).values_list("pk", flat=True):
        plan.touched_page_ids.add(pk)
        plan.targets.add(Target("page", sid, pk))
    if in_nav:
        plan.targets.add(Target("sitemap_page", sid))


def plan_for_pages(session: RenderSession, page_ids: Iterable[int],
                   containers: Iterable[int] = ()) -> Plan:
    """Compute everything that shows the given pages (which may since have been unpublished,
    moved or deleted). `containers` are former parents of moved or deleted pages: their
    listings and their sites' home pages and feeds are rewritten too."""
    from .models import PublishedFile

    page_ids = list(page_ids)
    plan = Plan(set(), set())
    for container in Page.objects.filter(pk__in=set(containers)):
        info = session.site_for_page(container)
        if info is not None:
            plan.targets.add(Target("page", info.site_id, container.pk))
            plan.targets.add(Target("feeds", info.site_id,
                                    0 if container.pk == info.root_page_id else container.pk))
            _home_and_site_feeds(info, plan)
    pages = {p.pk: p for p in Page.objects.filter(pk__in=set(page_ids)).specific()}
    for pk in page_ids:
        plan.touched_page_ids.add(pk)
    for page in pages.values():
        if isinstance(page, SiteHomePage):
            info = session.site_for_page(page)
            if info is not None:
                plan.touched_page_ids.add(page.pk)
                _home_and_site_feeds(info, plan)
                plan.targets.add(Target("sitemap", info.site_id, page.pk // SITEMAP_CHUNK))
            continue
        if isinstance(page, ColumnPage):
            _add_column(session, page, plan)
            continue
        if not isinstance(page, ContentItem):
            info = session.site_for_page(page)
            if info is not None:
                plan.targets.add(Target("page", info.site_id, page.pk))
            continue
        related: list[Page] = list(_placements(page))
        original = page.original
        if isinstance(original, InterpretationPage):
            related += _placements(original.policy)
        if isinstance(original, PolicyDocumentPage):
            for interp in InterpretationPage.objects.filter(policy_id=original.pk,
                                                            alias_of__isnull=True):
                related += _placements(interp)
            for newer in PolicyDocumentPage.objects.filter(superseded_by_id=original.pk):
                related += _placements(newer)
        for placement in related:
            _add_placement(session, placement, plan)
    missing = set(page_ids) - set(pages)
    if missing:  # deleted pages: whatever they produced must go
        for key in (PublishedFile.objects.filter(page_id__in=missing)
                    .values_list("target", flat=True).distinct()):
            plan.targets.add(Target.parse(key))
    return plan
