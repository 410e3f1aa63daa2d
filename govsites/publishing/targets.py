"""What to (re)write: targets, and the dependents of a changed page.

A target is one unit of output with a stable key stored in the manifest, so the guard can
re-render any damaged file from the database:
  page:<site>:<page id>      a page (a column: its newest listing page), 简体 and 繁体
  listing:<site>:<column>:<n> older listing page n of a column (content/listing.py)
  sitemap_page:<site>:0      the 网站地图 page, 简体 and 繁体
  feeds:<site>:<column|0>    RSS and Atom of a column (0: the whole site)
  sitemap:<site>:<chunk>     one sitemap chunk
  sitemap_index:<site>:0     sitemap.xml
  robots:<site>:0            robots.txt
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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

KINDS = ("page", "listing", "sitemap_page", "feeds", "sitemap", "sitemap_index", "robots",
         "errors")


@dataclass(frozen=True, order=True)
class Target:
    kind: str
    site_id: int
    object_id: int = 0
    part: int = 0  # listing: the older page's number

    @property
    def key(self) -> str:
        base = f"{self.kind}:{self.site_id}:{self.object_id}"
        return f"{base}:{self.part}" if self.kind == "listing" else base

    @classmethod
    def parse(cls, key: str) -> Target:
        parts = key.split(":")
        kind = parts[0]
        if kind not in KINDS or len(parts) != (4 if kind == "listing" else 3):
            raise ValueError(f"unknown target {key!r}")
        return cls(kind, *(int(p) for p in parts[1:]))


SITE_WIDE_KINDS = ("sitemap", "sitemap_index", "sitemap_page", "robots", "errors")


def site_wide(session: RenderSession, target: Target) -> bool:
    """A target that summarises a whole site (its cost grows with the site, not the change)."""
    if target.kind in SITE_WIDE_KINDS or (target.kind == "feeds" and target.object_id == 0):
        return True
    info = session.site_by_id(target.site_id)
    return target.kind == "page" and info is not None and target.object_id == info.root_page_id


def listing_targets(site_id: int, column: Page, first: int = 1, last: int | None = None
                    ) -> list[Target]:
    """Older listing pages first..last (default: all) of a column."""
    if last is None:
        last = _older_pages(column)
    return [Target("listing", site_id, column.pk, n) for n in range(max(1, first), last + 1)]


def _older_pages(column: Page) -> int:
    from govsites.content.models.pages import LIST_PAGE_SIZE

    return max(0, ContentItem.objects.live().child_of(column).count() // LIST_PAGE_SIZE - 1)


def site_targets(session: RenderSession, info: SiteInfo) -> list[Target]:
    """Every target of one site: what a full rebuild writes."""
    home = Page.objects.get(pk=info.root_page_id)
    page_ids = list(Page.objects.live().descendant_of(home, inclusive=True)
                    .order_by("path").values_list("pk", flat=True))
    columns = list(ColumnPage.objects.live().descendant_of(home).only("pk", "path", "depth"))
    column_ids = [c.pk for c in columns]
    sid = info.site_id
    targets = [Target("page", sid, pk) for pk in page_ids]
    for column in columns:
        targets += listing_targets(sid, column)
    targets.append(Target("errors", sid))
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
    # column id -> (site id, items placed in it that changed); their older listing pages
    listed: dict[int, tuple[int, list[Page]]] = field(default_factory=dict)
    # columns whose every older listing page is rewritten (deletions, moves, navigation)
    relisted: dict[int, int] = field(default_factory=dict)


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
        if isinstance(page, ContentItem):
            plan.listed.setdefault(parent.pk, (sid, []))[1].append(page)


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
    for pk in ColumnPage.objects.descendant_of(scope, inclusive=True).values_list("pk",
                                                                                 flat=True):
        plan.relisted[pk] = sid
    if in_nav:
        plan.targets.add(Target("errors", sid))
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
            if container.pk != info.root_page_id:
                plan.relisted[container.pk] = info.site_id
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
    _plan_listings(session, plan)
    return plan


def _plan_listings(session: RenderSession, plan: Plan) -> None:
    """Add only the older listing pages whose content changes (content/listing.py).

    An edited item changes its own page; an item that arrives or leaves shifts the pages from
    its own to the newest; a page that appears or disappears changes its neighbour's link.
    Pages that existed before are known from the manifest.
    """
    from govsites.content.listing import group_of
    from govsites.content.models.pages import LIST_PAGE_SIZE

    from .models import PublishedFile, PublishedUrl, UrlState

    size = LIST_PAGE_SIZE
    columns = {c.pk: c for c in Page.objects.filter(
        pk__in=set(plan.listed) | set(plan.relisted))}
    for column_id, column in columns.items():
        sid, items = plan.listed.get(column_id, (plan.relisted.get(column_id, 0), []))
        sid = plan.relisted.get(column_id, sid)
        live = ContentItem.objects.live().child_of(column)
        older = max(0, live.count() // size - 1)
        window = len(items) // size + 3
        keys = {Target("listing", sid, column_id, n).key: n
                for n in {1, *range(max(1, older - window), older + window + 1)}}
        existing = {keys[k] for k in PublishedFile.objects.filter(
            target__in=list(keys)).values_list("target", flat=True).distinct()}
        changed: set[int] = set()
        if column_id in plan.relisted:
            changed |= set(range(1, older + 1))
        info = session.site_by_id(sid)
        listed_paths = set()
        if info is not None and items:
            listed_paths = set(PublishedUrl.objects.filter(
                hostname=info.hostname, state=UrlState.LIVE,
                path__in=[info.relative_url(i) for i in items]).values_list("path", flat=True))
        for item in items:
            group = group_of(live, item, size)
            stays = (item.live and info is not None
                     and info.relative_url(item) in listed_paths)
            changed |= {group} if stays else set(range(max(1, group), older + 1))
        appeared = {n for n in range(max(1, older - window), older + 1)} - existing
        if 1 not in existing and older > window:
            appeared = set()  # never published in full (a rebuild writes every page)
        vanished = {n for n in existing if n > older}
        if appeared:
            changed |= appeared | {min(appeared) - 1}
        if vanished:
            changed |= vanished | {older}
        for n in changed:
            if 1 <= n <= older or n in vanished:  # newer groups are part of index.html
                plan.targets.add(Target("listing", sid, column_id, n))
