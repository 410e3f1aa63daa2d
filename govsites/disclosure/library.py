"""What the disclosure app reads from the resource library: a body's items (the 公开目录,
条例第12条), its 规章 and 行政规范性文件 by year (table 二 of the annual report), and the
proactively disclosed documents it published later than 条例第26条 allows (DS-11).

A body's items are the original items it owns (责任单位) plus those on its own sites.
Reads only; the library is written by the content app's services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from govsites import rules
from govsites.content.choices import ColumnType, DisclosureMode, Validity
from govsites.content.models import ColumnPage, ContentItem, PolicyDocumentPage
from govsites.content.selectors import library_items

from .models import DisclosureBody


def body_items(body: DisclosureBody) -> QuerySet[ContentItem]:
    """The body's live original items, whatever their 公开属性."""
    roots = [profile.site.root_page for profile in body.organisation.sites.select_related(
        "site__root_page")]
    condition = Q(owner_organisation_id=body.organisation_id)
    for root in roots:
        condition |= Q(path__startswith=root.path)
    return library_items().filter(condition, live=True)


def _bodies_condition(bodies: list[DisclosureBody]) -> Q:
    """Items owned by one of the bodies or lying on one of their sites."""
    from govsites.sites.models import SiteProfile

    condition = Q(owner_organisation_id__in=[body.organisation_id for body in bodies])
    for profile in SiteProfile.objects.filter(
            host_organisation_id__in=[body.organisation_id for body in bodies]).select_related(
            "site__root_page"):
        condition |= Q(path__startswith=profile.site.root_page.path)
    return condition


def platform_catalogue(*, search: str = "", body: DisclosureBody | None = None,
                       topic_id: int | None = None, item_type: str = "",
                       year: int | None = None, validity: str = "") -> QuerySet[ContentItem]:
    """DS-14 (条例第24条): the unified 政府信息公开平台's 检索 over every body of the cluster,
    or one body: their live proactively disclosed items, newest first, with what 查阅 and
    下载 need (the item's address, its publisher, its attachments)."""
    bodies = [body] if body is not None else list(DisclosureBody.objects.all())
    if not bodies:
        return ContentItem.objects.none()
    topic = None
    if topic_id:
        from govsites.content.models import Topic

        topic = Topic.objects.filter(pk=topic_id).first()
    rows = library_items(search=search.strip(), item_type=item_type, topic=topic,
                         disclosure_mode=DisclosureMode.PROACTIVE, validity=validity,
                         year=year)
    return (rows.filter(_bodies_condition(bodies), live=True)
            .prefetch_related("attachments__document"))


def catalogue(body: DisclosureBody, *, topic_id: int | None = None, item_type: str = "",
              year: int | None = None, validity: str = "") -> QuerySet[ContentItem]:
    """The 政府信息公开目录: the body's proactively disclosed items, filtered."""
    rows = body_items(body).filter(disclosure_mode=DisclosureMode.PROACTIVE)
    if topic_id:
        rows = rows.filter(Q(topic_id=topic_id) | Q(topic__parent_id=topic_id))
    if item_type:
        rows = rows.filter(content_type__model=item_type)
    if year:
        rows = rows.filter(first_published_at__year=year)
    if validity:
        rows = rows.filter(pk__in=PolicyDocumentPage.objects.filter(validity=validity)
                           .values("pk"))
    return rows


@dataclass(frozen=True)
class LateDisclosure:
    """A proactively disclosed document first published more working days after it was made
    (成文日期) than the rule allows."""

    item: ContentItem
    made_on: dt.date
    published_on: dt.date
    working_days: int


def proactive_working_days() -> int:
    """DS-11 (条例第26条): working days from a document's making to its proactive disclosure."""
    return int(rules.value("disclosure.proactive_working_days"))


def late_proactive_items(body: DisclosureBody, year: int) -> list[LateDisclosure]:
    """DS-11: the body's proactively disclosed documents first published in `year` more than
    `disclosure.proactive_working_days` working days after their 成文日期. Items without a
    date of making of their own are made when they are published, so only dated documents
    can be late."""
    from django.utils import timezone

    from govsites.core.calendar import working_days_between

    limit = proactive_working_days()
    written = PolicyDocumentPage.objects.filter(pk=OuterRef("pk")).values("written_date")[:1]
    rows = (body_items(body).filter(disclosure_mode=DisclosureMode.PROACTIVE,
                                    first_published_at__year=year)
            .annotate(made=Subquery(written)).filter(made__isnull=False)
            .order_by("first_published_at"))
    late = []
    for item in rows:
        published = timezone.localdate(item.first_published_at)
        days = working_days_between(item.made, published) if published > item.made else 0
        if days > limit:
            late.append(LateDisclosure(item=item, made_on=item.made, published_on=published,
                                       working_days=days))
    return late


@dataclass(frozen=True)
class CatalogueEntry:
    """One line of the 目录: 索引号, 名称 (the item, for its address), 内容概述, 生成日期."""

    item: ContentItem
    made_on: dt.date | None
    mode: str


@dataclass(frozen=True)
class CatalogueSection:
    """The entries of one first-level 主题分类 (`anchor` names it inside the page)."""

    anchor: str
    title: str
    entries: list[CatalogueEntry]


UNCLASSIFIED = "未分类"


def catalogue_sections(body: DisclosureBody) -> list[CatalogueSection]:
    """The static 目录 of a body: its live items by first-level 主题分类 (in code order, the
    unclassified last), newest first inside each; 生成日期 is a policy's 成文日期, else the
    item's first publication date."""
    from django.utils import timezone

    written = PolicyDocumentPage.objects.filter(pk=OuterRef("pk")).values("written_date")[:1]
    rows = (body_items(body).select_related("topic__parent")
            .annotate(made=Subquery(written)))
    groups: dict[str, tuple[str, str, list[CatalogueEntry]]] = {}
    for item in rows:
        topic = item.topic.parent if item.topic and item.topic.parent_id else item.topic
        code, title = (topic.code, topic.name) if topic is not None else ("~", UNCLASSIFIED)
        made = getattr(item, "made", None) or (
            timezone.localtime(item.first_published_at).date()
            if item.first_published_at else None)
        entry = CatalogueEntry(item=item, made_on=made,
                               mode=str(item.get_disclosure_mode_display()))
        groups.setdefault(code, (code, title, []))[2].append(entry)
    sections = []
    for code in sorted(groups):
        _code, title, entries = groups[code]
        entries.sort(key=lambda e: (e.made_on or dt.date.min, e.item.pk), reverse=True)
        anchor = "topic-other" if code == "~" else f"topic-{code}"
        sections.append(CatalogueSection(anchor=anchor, title=title, entries=entries))
    return sections


@dataclass(frozen=True)
class DocumentCounts:
    """本年制发件数, 本年废止件数, 现行有效件数 of one kind of document."""

    issued: int
    repealed: int
    in_force: int


def normative_document_counts(body: DisclosureBody, year: int) -> DocumentCounts:
    """Count the body's 行政规范性文件 issued and repealed in the year and in force at its end."""
    return _document_counts(body, year, normative=True)


def regulation_counts(body: DisclosureBody, year: int) -> DocumentCounts:
    """Count the body's 规章 (policies marked 规章) the same way, for table 二's first row."""
    return _document_counts(body, year, regulation=True)


def _document_counts(body: DisclosureBody, year: int, **kind: bool) -> DocumentCounts:
    """Count one kind of the body's policy documents for a year.

    Issued: 成文日期 in the year (the publication date when none is given). Repealed: 废止 or
    失效 with the change date in the year. In force: issued by the year's end and not
    repealed or expired by then.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = body_items(body).values("pk")
    docs = list(PolicyDocumentPage.objects.filter(pk__in=ids, **kind)
                .only("written_date", "first_published_at", "validity", "validity_changed_on"))
    ended = (Validity.REPEALED, Validity.EXPIRED)
    issued = repealed = in_force = 0
    for doc in docs:
        made = doc.written_date or (doc.first_published_at.date()
                                    if doc.first_published_at else None)
        if made is None:
            continue
        if start <= made <= end:
            issued += 1
        changed = doc.validity_changed_on
        if doc.validity in ended and changed is not None and start <= changed <= end:
            repealed += 1
        gone = doc.validity in ended and changed is not None and changed <= end
        if made <= end and not gone:
            in_force += 1
    return DocumentCounts(issued=issued, repealed=repealed, in_force=in_force)


def annual_report_column(body: DisclosureBody) -> ColumnPage | None:
    """The body's live 信息公开年报 column on its own site, if it has one."""
    for profile in body.organisation.sites.select_related("site__root_page").order_by("pk"):
        column = (ColumnPage.objects.live().descendant_of(profile.site.root_page)
                  .filter(column_type=ColumnType.DISCLOSURE_ANNUAL_REPORT).order_by("path")
                  .first())
        if column is not None:
            return column
    return None
