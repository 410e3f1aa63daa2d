"""A site's 政府信息公开平台 as its columns show it (reads only).

《政府信息公开条例》第23、24条 and 国办公开办函〔2019〕61号: every 行政机关 publishes its
proactive information on one platform, based on its site's "政府信息公开" column, with one name
and one format, and sets up no separate column or website ("专栏姓专"). 第20条 lists the
categories every platform carries; 第21条 adds categories for 设区的市级、县级人民政府及其部门 and
for 乡镇.

Here a platform is a live column of type 信息公开目录. A site's platform is the shallowest one;
a 信息公开目录 column inside it owned by another organisation (a department's or a township's
own 政府信息公开 on the government's site) is that organisation's platform; one outside it is a
second disclosure section, as is any column outside it whose title names one
(`disclosure.platform.section_keywords`). A category counts as present when a column of the
platform (not of a platform nested in it) has one of its column types or a title naming one of
its keywords; the lists are rule data (`disclosure.category_missing.*`).

Every function takes `value`, the rule values in force (the inspector's rulebook.value), so
the inspector and the platform's own alerts judge with the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from govsites.content.choices import ColumnType
from govsites.content.models import ColumnPage

from .models import DisclosureBody

Value = Callable[[str], Any]

#: the level of a platform nested in another one, by its owner's 单位类型
NESTED_LEVELS = {"township": "township", "department": "department", "government": "county"}


@dataclass(frozen=True)
class Category:
    """One category of information a platform must carry (条例第20条 or 第21条)."""

    article: str
    item: str
    title: str
    column_types: tuple[str, ...]
    keywords: tuple[str, ...]

    @classmethod
    def from_data(cls, article: str, data: dict[str, Any]) -> Category:
        return cls(article=article, item=str(data.get("item", "")), title=str(data["title"]),
                   column_types=tuple(str(t) for t in data.get("column_types", [])),
                   keywords=tuple(str(k) for k in data.get("keywords", [])))

    @property
    def checkable(self) -> bool:
        """第20条（十五）(其他依法应当主动公开的信息) names no column: nothing to look for."""
        return bool(self.column_types or self.keywords)

    def shown_in(self, column: ColumnPage) -> bool:
        return column.column_type in self.column_types or any(
            word in column.title for word in self.keywords)

    def citation(self) -> str:
        return f"条例{self.article}{self.item}"


@dataclass
class Platform:
    """One body's 政府信息公开平台 on a site: its column, owner, level and own columns."""

    column: ColumnPage
    owner: Any  # sites.Organisation
    level: str  # a site kind, or "township"
    nested: bool
    columns: list[ColumnPage] = field(default_factory=list)


@dataclass(frozen=True)
class StraySection:
    """A disclosure column outside the site's platform (61号: 不另设专门栏目)."""

    column: ColumnPage
    reason: str


@dataclass
class SiteLayout:
    """The site's platform, the platforms nested in it and the disclosure columns outside."""

    platform: Platform | None
    nested: list[Platform]
    stray: list[StraySection]

    def platforms(self) -> list[Platform]:
        return ([self.platform] if self.platform is not None else []) + self.nested


def is_disclosure_site(profile: Any) -> bool:
    """A site whose host organisation is a 公开主体 must run a platform."""
    return DisclosureBody.objects.filter(organisation_id=profile.host_organisation_id).exists()


def _inside(column: ColumnPage, ancestor: ColumnPage) -> bool:
    return column.path.startswith(ancestor.path) and column.pk != ancestor.pk


def site_layout(profile: Any, *, value: Value) -> SiteLayout:
    """Find the site's platform, the platforms nested in it and the stray disclosure columns."""
    from govsites.sites.models import Organisation

    keywords = [str(word) for word in value("disclosure.platform.section_keywords")]
    columns = list(ColumnPage.objects.live().descendant_of(profile.site.root_page)
                   .order_by("path"))
    owner_ids: dict[int, int] = {}
    by_path = {c.path: c for c in columns}
    step = ColumnPage.steplen
    for column in columns:
        parent = by_path.get(column.path[:-step])
        inherited = owner_ids[parent.pk] if parent is not None else profile.host_organisation_id
        owner_ids[column.pk] = column.owner_organisation_id or inherited
    organisations = Organisation.objects.in_bulk(set(owner_ids.values()))
    catalogues = [c for c in columns if c.column_type == ColumnType.DISCLOSURE_CATALOGUE]
    top_column = min(catalogues, key=lambda c: (c.depth, c.path)) if catalogues else None
    top = (Platform(column=top_column, owner=organisations[owner_ids[top_column.pk]],
                    level=str(profile.kind), nested=False)
           if top_column is not None else None)
    nested: list[Platform] = []
    stray: list[StraySection] = []
    for column in catalogues:
        if top_column is None or column.pk == top_column.pk:
            continue
        if not _inside(column, top_column):
            stray.append(StraySection(column, "另设的信息公开目录栏目"))
        elif owner_ids[column.pk] != owner_ids[top_column.pk]:
            owner = organisations[owner_ids[column.pk]]
            nested.append(Platform(column=column, owner=owner, nested=True,
                                   level=NESTED_LEVELS.get(str(owner.kind), "department")))
    for column in columns:
        if column.column_type == ColumnType.DISCLOSURE_CATALOGUE:
            continue
        if top_column is not None and _inside(column, top_column):
            continue
        word = next((w for w in keywords if w in column.title), None)
        if word is not None:
            stray.append(StraySection(column, f"栏目名称含“{word}”"))
    stray = [s for s in stray
             if not any(_inside(s.column, other.column) for other in stray)]
    platforms = ([top] if top is not None else []) + nested
    for platform in platforms:
        inner = [p.column for p in nested
                 if p is not platform and _inside(p.column, platform.column)]
        platform.columns = [c for c in columns if _inside(c, platform.column)
                            and not any(c.pk == i.pk or _inside(c, i) for i in inner)]
    stray.sort(key=lambda s: s.column.path)
    return SiteLayout(platform=top, nested=nested, stray=stray)


def required_categories(platform: Platform, *, value: Value) -> list[Category]:
    """The categories the platform must carry: 第20条's for every body, and 第21条's for its
    level (`disclosure.category_missing.article21_levels`: a site kind, or township)."""
    required = [Category.from_data("第20条", data)
                for data in value("disclosure.category_missing.article20")]
    lists = value("disclosure.category_missing.article21")
    for name in value("disclosure.category_missing.article21_levels").get(platform.level, []):
        required += [Category.from_data("第21条", data) for data in lists.get(name, [])]
    return [category for category in required if category.checkable]


def missing_categories(platform: Platform, *, value: Value) -> list[Category]:
    """The required categories no column of the platform shows."""
    return [category for category in required_categories(platform, value=value)
            if not any(category.shown_in(column) for column in platform.columns)]


def name_is_unified(platform: Platform, *, value: Value) -> bool:
    """61号: one name for every body's platform (`disclosure.platform.names`)."""
    return platform.column.title in [str(name) for name in value("disclosure.platform.names")]
