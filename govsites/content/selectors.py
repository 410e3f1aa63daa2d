"""Reads over columns and the resource library."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from wagtail.models import Page, Site

if TYPE_CHECKING:
    from govsites.sites.models import SiteProfile

from .choices import ColumnStatus
from .models import ColumnPage, ContentItem, PolicyDocumentPage, SiteHomePage, Topic

# Newest first within one column. Ordered by an expression on purpose: with a plain
# `-first_published_at` SQLite walks the cluster-wide first_published_at index from the newest
# end until it has met enough of the column's items (seconds at 1,000,000 items for a column
# without recent items); an expression makes it find the column's items by the tree-path index
# and sort just those. Same order, same results.
COLUMN_NEWEST_FIRST = (Coalesce("first_published_at", "last_published_at").desc(),
                       F("pk").desc())


def items_in_column(column: ColumnPage) -> QuerySet[ContentItem]:
    """Live items placed directly in a column (reprints included), newest first."""
    return (ContentItem.objects.live().child_of(column)
            .select_related("publisher", "alias_of")
            .order_by(*COLUMN_NEWEST_FIRST))


def latest_items_under(page: Page, *, limit: int = 10) -> list[ContentItem]:
    """The newest live items anywhere under a page (a site's home or a column)."""
    items = ContentItem.objects.live().descendant_of(page).select_related("publisher")
    if isinstance(page, SiteHomePage) or page.depth <= 2:  # a whole site: the date index wins
        return list(items.order_by("-first_published_at", "-pk")[:limit])
    return list(items.order_by(*COLUMN_NEWEST_FIRST)[:limit])


@dataclass(frozen=True)
class HomeSection:
    """A first-level column shown on a home page with its newest items."""

    column: ColumnPage
    items: list[ContentItem]


def home_page_sections(home: SiteHomePage, *, per_section: int = 6) -> list[HomeSection]:
    """First-level columns of a site with their newest items (archived columns last).

    Two queries however many columns: the columns, then every column's newest items at once
    (one `IN (… LIMIT n)` per column, each walking only its column's part of the tree).
    """
    columns = list(ColumnPage.objects.live().child_of(home).order_by("path"))
    newest = Q(pk__in=[])
    for column in columns:
        under = (ContentItem.objects.live().descendant_of(column)
                 .order_by(*COLUMN_NEWEST_FIRST).values("pk")[:per_section])
        newest |= Q(pk__in=under)
    by_column: dict[str, list[ContentItem]] = {c.path: [] for c in columns}
    if columns:
        width = len(columns[0].path)
        for item in ContentItem.objects.filter(newest).select_related("publisher"):
            by_column[item.path[:width]].append(item)
    for items in by_column.values():
        items.sort(key=_newest_first_key, reverse=True)
    sections = [HomeSection(c, by_column[c.path]) for c in columns]
    return sorted(sections, key=lambda s: s.column.status == ColumnStatus.ARCHIVED)


def _newest_first_key(item: ContentItem) -> tuple[dt.datetime, int]:
    """COLUMN_NEWEST_FIRST in Python (both descending)."""
    when = item.first_published_at or item.last_published_at
    return (when or dt.datetime.min.replace(tzinfo=dt.UTC), item.pk)


def site_column_tree(home: Page) -> list[tuple[ColumnPage, int]]:
    """Every live column of a site with its depth below the home page (for 网站地图)."""
    return [(c, c.depth - home.depth) for c in
            ColumnPage.objects.live().descendant_of(home).order_by("path")]


@dataclass(frozen=True)
class ColumnFreshness:
    """What the inspector needs to judge a column: its type, rule and newest item."""

    column_id: int
    title: str
    url_path: str
    column_type: str
    status: str
    interval_days: int | None
    last_published_at: dt.datetime | None
    item_count: int
    created_at: dt.datetime | None


def column_freshness(home: Page) -> list[ColumnFreshness]:
    """Freshness facts for every column of a site, computed from the database (exact).

    Each column's interval is its own or its type's in the rule set in force for the site.
    """
    from govsites import rules
    from govsites.sites.selectors import profile_for_page

    values = rules.snapshot(site=profile_for_page(home))
    columns = list(ColumnPage.objects.descendant_of(home).live().order_by("path"))
    result = []
    for column in columns:
        direct = ContentItem.objects.live().child_of(column)
        agg = direct.aggregate(last=Max("first_published_at"))
        result.append(ColumnFreshness(
            column_id=column.pk, title=column.title, url_path=column.url_path,
            column_type=column.column_type, status=column.status,
            interval_days=column.effective_update_interval_days(values),
            last_published_at=agg["last"], item_count=direct.count(),
            created_at=column.first_published_at,
        ))
    return result


def home_last_published_at(home: Page) -> dt.datetime | None:
    """The newest publication time of any live item on a site (what its home page shows)."""
    value: dt.datetime | None = ContentItem.objects.live().descendant_of(home).aggregate(
        last=Max("first_published_at"))["last"]
    return value


@dataclass(frozen=True)
class PublishedNotice:
    """A live item of a column of the given types (the inspector's notice checks)."""

    title: str
    url_path: str
    published_at: dt.datetime


def items_of_column_types(home: Page, *, column_types: list[str], since: dt.datetime,
                          until: dt.datetime) -> list[PublishedNotice]:
    """Live items placed in a site's live columns of the given types (栏目类别), first published
    in [since, until), oldest first."""
    columns = ColumnPage.objects.live().descendant_of(home).filter(column_type__in=column_types)
    result: list[PublishedNotice] = []
    for column in columns:
        items = (ContentItem.objects.live().child_of(column)
                 .filter(first_published_at__gte=since, first_published_at__lt=until))
        result.extend(PublishedNotice(item.title, item.url_path, item.first_published_at)
                      for item in items)
    return sorted(result, key=lambda notice: notice.published_at)


def library_items(
    *,
    search: str = "",
    item_type: str = "",
    site_root: Page | None = None,
    topic: Topic | None = None,
    organisation_id: int | None = None,
    importance: str = "",
    disclosure_mode: str = "",
    validity: str = "",
    year: int | None = None,
) -> QuerySet[ContentItem]:
    """Every original item of the cluster (reprints are placements, not items), filtered."""
    qs = (ContentItem.objects.filter(alias_of__isnull=True)
          .select_related("publisher", "owner_organisation", "topic", "content_type")
          .order_by("-first_published_at", "-pk"))
    if search:
        # Wagtail's search backend (Chinese analyser) finds words inside compounds, 繁体 and
        # 文号 spellings in title and body; the substring match keeps 索引号 fragments working.
        found = [p.pk for p in ContentItem.objects.search(search, order_by_relevance=False)[:1000]]
        qs = qs.filter(Q(title__icontains=search) | Q(index_no__icontains=search)
                       | Q(pk__in=found))
    if item_type:
        qs = qs.filter(content_type__model=item_type)
    if site_root is not None:
        qs = qs.descendant_of(site_root)
    if topic is not None:
        qs = qs.filter(Q(topic=topic) | Q(topic__parent=topic))
    if organisation_id:
        qs = qs.filter(owner_organisation_id=organisation_id)
    if importance:
        qs = qs.filter(importance=importance)
    if disclosure_mode:
        qs = qs.filter(disclosure_mode=disclosure_mode)
    if validity:
        ids = PolicyDocumentPage.objects.filter(validity=validity).values("pk")
        qs = qs.filter(pk__in=ids)
    if year:
        qs = qs.filter(first_published_at__year=year)
    return qs


def placements_of(item: ContentItem) -> list[Page]:
    """Where an item appears: its own place first, then every reprint."""
    return [item, *Page.objects.filter(alias_of=item).order_by("path")]


def find_topic(path: str) -> Topic | None:
    """Resolve a topic written as 一级\\二级 (or just 一级)."""
    parts = [p.strip() for p in path.replace("/", "\\").split("\\") if p.strip()]
    if not parts:
        return None
    top = Topic.objects.filter(parent__isnull=True, name=parts[0]).first()
    if top is None or len(parts) == 1:
        return top
    return Topic.objects.filter(parent=top, name=parts[1]).first()



@dataclass(frozen=True)
class Placement:
    """One place an item appears: its own column or a reprint's, with the site's name."""

    page: Page
    site: str
    column: str
    is_reprint: bool


def placements_for(items: list[ContentItem]) -> dict[int, list[Placement]]:
    """Where each item appears (own place first, then every reprint), in three queries.

    The 资源库 shows fifty items a page; resolving each placement's site and parent one at
    a time cost two queries per placement.
    """
    from wagtail.models import Site

    aliases = list(Page.objects.filter(alias_of_id__in=[i.pk for i in items])
                   .only("pk", "path", "depth", "alias_of_id", "title").order_by("path"))
    pages: list[Page] = [*items, *aliases]
    step = Page.steplen
    parents = dict(Page.objects.filter(path__in={p.path[:-step] for p in pages})
                   .values_list("path", "title"))
    roots = sorted(Site.objects.values_list("root_page__path", "site_name", "hostname"),
                   key=lambda row: -len(row[0]))

    def site_of(path: str) -> str:
        for root, name, hostname in roots:
            if path.startswith(root):
                return str(name or hostname)
        return ""

    def placement(page: Page, item_pk: int) -> Placement:
        return Placement(page=page, site=site_of(page.path),
                         column=parents.get(page.path[:-step], ""), is_reprint=page.pk != item_pk)

    result = {item.pk: [placement(item, item.pk)] for item in items}
    for alias in aliases:
        assert alias.alias_of_id is not None
        result[alias.alias_of_id].append(placement(alias, alias.alias_of_id))
    return result


@dataclass(frozen=True)
class DocumentUsers:
    """The pages that use a document (attachment or body link), and whether anything else does."""

    pages: list[Page]
    used_outside_pages: bool


def document_users(document: Any) -> DocumentUsers:
    """Return who uses a document: item attachments and Wagtail's reference index."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from .models import ContentAttachment

    page_ids = set(ContentAttachment.objects.filter(document_id=document.pk)
                   .values_list("item_id", flat=True))
    page_type = ContentType.objects.get_for_model(Page)
    outside = False
    references = (ReferenceIndex.objects
                  .filter(to_content_type=ContentType.objects.get_for_model(type(document)),
                          to_object_id=str(document.pk))
                  .values_list("base_content_type_id", "object_id"))
    for base_type_id, object_id in references:
        if base_type_id == page_type.pk:
            page_ids.add(int(object_id))
        else:
            outside = True
    return DocumentUsers(pages=list(Page.objects.filter(pk__in=page_ids)),
                         used_outside_pages=outside)


@dataclass(frozen=True)
class SiteLink:
    name: str
    url: str
    current: bool


@dataclass(frozen=True)
class ClusterNavigation:
    """站群导航: the portal and its 部门网站 and 区县网站, as every page of the cluster shows them."""

    portal: SiteLink | None
    departments: list[SiteLink]
    counties: list[SiteLink]


def _cluster_sites() -> list[dict[str, Any]]:
    """Every site's name, kind, status, portal and address (the registry's cached directory,
    so a page render does not read the whole registry)."""
    from govsites.sites.selectors import site_directory

    return [{**row, "url": row["root_url"].rstrip("/") + "/"} for row in site_directory()]


def cluster_navigation(profile: SiteProfile) -> ClusterNavigation:
    """Return the cluster's navigation for a site: its portal (a department's own portal, else
    the cluster's), the portal's department sites and the county sites; retired sites are left
    out."""
    from govsites.sites.choices import SiteKind, SiteStatus

    sites = [row for row in _cluster_sites() if row["status"] != SiteStatus.RETIRED]

    def link(row: dict[str, Any]) -> SiteLink:
        return SiteLink(name=row["name"], url=row["url"], current=row["pk"] == profile.pk)

    portal_id = profile.pk if profile.kind == SiteKind.PORTAL else profile.portal_id
    portal = next((row for row in sites if row["pk"] == portal_id), None) or next(
        (row for row in sites if row["kind"] == SiteKind.PORTAL), None)
    departments = [row for row in sites if row["kind"] == SiteKind.DEPARTMENT
                   and (portal is None or row["portal_id"] == portal["pk"])]
    counties = [row for row in sites if row["kind"] == SiteKind.COUNTY]
    return ClusterNavigation(portal=link(portal) if portal is not None else None,
                             departments=[link(row) for row in departments],
                             counties=[link(row) for row in counties])


def missing_required_column_types(profile: SiteProfile) -> list[str]:
    """CC-21: the content categories (栏目类别) a site of this kind must have and does not, as
    live columns; the list per site kind is the rule parameter
    content.required_column_types_by_site_kind."""
    from govsites import rules

    required = rules.value("content.required_column_types_by_site_kind", site=profile)
    wanted = list(required.get(profile.kind, []))
    if not wanted:
        return []
    present = set(ColumnPage.objects.live().descendant_of(profile.site.root_page)
                  .values_list("column_type", flat=True))
    return [column_type for column_type in wanted if column_type not in present]


@dataclass(frozen=True)
class NormativePolicy:
    """A live 规范性文件 of a site and when its first live 解读 was published (CC-10–12)."""

    policy_id: int
    title: str
    url_path: str
    published_at: dt.datetime | None
    first_interpretation_at: dt.datetime | None


def normative_policies(home: Page) -> list[NormativePolicy]:
    """The site's own live 规范性文件 (not reprints) with their earliest live 解读, if any."""
    rows = (PolicyDocumentPage.objects.live().descendant_of(home)
            .filter(normative=True, alias_of__isnull=True)
            .annotate(first_interpretation=Min(
                "interpretation_pages__first_published_at",
                filter=Q(interpretation_pages__live=True)))
            .order_by("path")
            .values_list("pk", "title", "url_path", "first_published_at", "first_interpretation"))
    return [NormativePolicy(*row) for row in rows]


@dataclass(frozen=True)
class OrganisationItemCount:
    """How many items of the given column types one responsible unit published (CC-23)."""

    organisation_id: int
    name: str
    count: int


def items_by_organisation(home: Page, *, column_types: list[str], since: dt.datetime,
                          until: dt.datetime) -> list[OrganisationItemCount]:
    """Per responsible unit (责任单位), the live items of a site's active columns of the given
    types first published in [since, until). Every unit answerable for such a column is listed, with 0
    when it published none; an item counts for its own unit, else its column's (inherited)."""
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    columns = (ColumnPage.objects.live().descendant_of(home)
               .filter(column_type__in=column_types, status=ColumnStatus.ACTIVE)
               .select_related("owner_organisation"))
    for column in columns:
        owner = column.effective_owner()
        if owner is not None:
            counts.setdefault(owner.pk, 0)
            names[owner.pk] = owner.name
        items = (ContentItem.objects.live().child_of(column)
                 .filter(first_published_at__gte=since, first_published_at__lt=until)
                 .select_related("owner_organisation"))
        for item in items:
            unit = item.owner_organisation or owner
            if unit is not None:
                counts[unit.pk] = counts.get(unit.pk, 0) + 1
                names[unit.pk] = unit.name
    return sorted((OrganisationItemCount(pk, names[pk], n) for pk, n in counts.items()),
                  key=lambda c: (c.count, c.name))


@dataclass(frozen=True)
class YearOfPublishing:
    """What one site published in a period, for the annual website report (RP-02).

    by_column_type: live items first published in the period, by their column's 栏目类别;
    interpretations_by_form: 政策解读 items of the period by 解读形式;
    service_guides: live 办事指南 at the end of the period;
    special_columns_maintained / _new: live 专题专栏 columns existing in the period / opened in it.
    """

    by_column_type: dict[str, int]
    interpretations_by_form: dict[str, int]
    service_guides: int
    special_columns_maintained: int
    special_columns_new: int


def year_of_publishing(home: Page, *, since: dt.datetime, until: dt.datetime) -> YearOfPublishing:
    """Count one site's publishing in [since, until) by column type, 解读 form and 专题."""
    from .choices import ColumnType
    from .models import InterpretationPage, ServiceGuidePage

    in_period = Q(first_published_at__gte=since, first_published_at__lt=until)
    by_type: dict[str, int] = {}
    for column in ColumnPage.objects.live().descendant_of(home).only("column_type", "path",
                                                                     "depth"):
        n = ContentItem.objects.live().child_of(column).filter(in_period).count()
        if n:
            by_type[column.column_type] = by_type.get(column.column_type, 0) + n
    forms: dict[str, int] = {}
    for row in (InterpretationPage.objects.live().descendant_of(home).filter(in_period)
                .values("form").order_by()):
        forms[row["form"]] = forms.get(row["form"], 0) + 1
    specials = ColumnPage.objects.live().descendant_of(home).filter(
        column_type=ColumnType.SPECIAL, first_published_at__lt=until).filter(
        Q(archived_at__isnull=True) | Q(archived_at__gte=since))
    return YearOfPublishing(
        by_column_type=by_type, interpretations_by_form=forms,
        service_guides=ServiceGuidePage.objects.live().descendant_of(home).filter(
            first_published_at__lt=until).count(),
        special_columns_maintained=specials.count(),
        special_columns_new=specials.filter(first_published_at__gte=since).count())


@dataclass(frozen=True)
class ConacMarkStatus:
    """Where a site stands with its 党政机关网站标识 (ID-15)."""

    notified_on: dt.date | None  # the day the site was told to hang it
    hung: bool  # a mark image and its verification link are registered


def conac_mark_status(site: Site) -> ConacMarkStatus:
    """The 党政机关网站标识 registration of one Wagtail site (settings → 网站页面标识)."""
    from .models.furniture import SiteFurniture

    furniture = SiteFurniture.objects.filter(site=site).first()
    if furniture is None:
        return ConacMarkStatus(notified_on=None, hung=False)
    return ConacMarkStatus(notified_on=furniture.conac_notified_on,
                           hung=bool(furniture.conac_mark_id and furniture.conac_url))
