"""The fast path of an import batch: new items published straight away (issue 8 #5).

A migration is mostly new, publishable items. Wagtail's one-page path (`add_child`, then
`save_revision().publish()`) costs about 80 statements per item: a parent lock and a path
query, four model validations, three page saves, two log entries each mirrored into the
audit chain, and eight index tasks. Here a batch's new items are prepared in memory (tree paths
from one read per column, 索引号 from one counter update per organisation and year; the record
was validated with the model's rules before anything was written) and written with one
multi-row INSERT per table of the page's inheritance chain (wagtailcore page, content item,
the concrete item), then one bulk INSERT each for revisions, Wagtail log entries and import
links, one UPDATE for the revision pointers and one per column for its child count.
`pre_save`/`post_save` and `page_published` are still sent for every item (so the static site
publishes them and the search index collects them as usual); indexing is one task per batch.

Held items, drafts, updates, items with attachments and interpretations take Wagtail's path
(writing.py); so does anything the screening flags.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from ..identifiers import reserve_index_numbers
from ..models import ContentItem, ImportedItem
from .parsing import ITEM_CLASSES, ImportRecord

_memo = threading.local()


@contextmanager
def publication_burst() -> Iterator[None]:
    """While a batch's `page_published` signals go out, let receivers share their reads.

    Receivers whose answer for an item depends only on its place in the tree (its parent) and
    on data the burst does not change call `burst_memo`, so a batch of 200 items in one column
    asks the database once, not 200 times.
    """
    _memo.values = {}
    try:
        yield
    finally:
        _memo.values = None


def burst_memo[T](key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for the rest of the current publication burst."""
    values = getattr(_memo, "values", None)
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def takes_fast_path(record: ImportRecord) -> bool:
    """A new item, to be published now, with nothing that needs Wagtail's one-page path."""
    return (record.existing is None and record.publish and not record.hold_reason
            and not record.attachments and record.kind != "interpretation")


@dataclass
class FastBatch:
    """New items of one batch: prepared, then inserted, then given revisions, logs, links."""

    items: list[tuple[ImportRecord, ContentItem]] = field(default_factory=list)
    pending: list[ContentItem] = field(default_factory=list)
    last_position: dict[int, int] = field(default_factory=dict)
    added: Counter[int] = field(default_factory=Counter)
    owners: dict[int, Any] = field(default_factory=dict)
    numbers: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def owner_of(self, column: Any) -> Any:
        if column.pk not in self.owners:
            self.owners[column.pk] = column.effective_owner()
        return self.owners[column.pk]

    def next_path(self, parent: Page) -> str:
        """The tree path of the parent's next child (treebeard's add_child, without a query
        per child)."""
        if parent.pk not in self.last_position:
            # the parent row is locked first, as treebeard's add_child does
            Page.objects.select_for_update().filter(pk=parent.pk).values_list("pk").first()
            last = (Page.objects.child_of(parent).order_by("-path")
                    .values_list("path", flat=True).first())
            self.last_position[parent.pk] = (0 if last is None
                                             else Page._str2int(last[-Page.steplen:]))
        position = self.last_position[parent.pk] + 1
        self.last_position[parent.pk] = position
        self.added[parent.pk] += 1
        return str(Page._get_path(parent.path, parent.depth + 1, position))

    def settle(self) -> None:
        """Insert the items prepared so far and write the child counts (before Wagtail's
        add_child reads the tree), then forget the paths."""
        insert_items(self.pending)
        self.pending.clear()
        for parent_id, added in self.added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
        self.added.clear()
        self.last_position.clear()


def reserve_numbers(records: list[ImportRecord], batch: FastBatch) -> None:
    """Reserve the 索引号 the batch's fast-path items will take, per organisation and year."""
    wanted: Counter[tuple[int, int]] = Counter()
    organisations: dict[int, Any] = {}
    now = timezone.now()
    for record in records:
        owner = record.fields.get("owner_organisation") or batch.owner_of(record.column)
        if owner is None or record.fields.get("source_url"):
            continue  # a reprint from outside the cluster keeps its issuer's numbering
        organisations[owner.pk] = owner
        year = timezone.localtime(record.published_at or now).year
        wanted[(owner.pk, year)] += 1
    for (org_id, year), count in sorted(wanted.items()):
        numbers = reserve_index_numbers(organisation=organisations[org_id], year=year,
                                        count=count)
        batch.numbers[(org_id, year)] = list(reversed(numbers))


def save_new_item(record: ImportRecord, fields: dict[str, Any], slug: str, acting_user: Any,
                  batch: FastBatch) -> ContentItem:
    """Prepare one new, live item at the end of its column; `settle` inserts it."""
    column = record.column
    cls = ITEM_CLASSES[record.kind]
    now = timezone.now()
    item = cls(title=record.title, draft_title=record.title, slug=slug, body=record.body_html,
               owner=acting_user, live=True, has_unpublished_changes=False,
               first_published_at=record.published_at or now, last_published_at=now,
               latest_revision_created_at=now, locale_id=column.locale_id, **fields)
    if item.owner_organisation_id is None:
        item.owner_organisation = batch.owner_of(column)
    if item.owner_organisation_id is not None and not item.source_url:
        year = timezone.localtime(item.first_published_at).year
        reserved = batch.numbers.get((item.owner_organisation_id, year))
        if reserved:
            item.index_no = reserved.pop()
    item.depth = column.depth + 1
    item.path = batch.next_path(column)
    item.numchild = 0
    item._cached_parent_obj = column
    item.set_url_path(column)
    batch.pending.append(item)
    batch.items.append((record, item))
    return item


def _insert_rows(model: type[models.Model], objs: list[Any], using: str,
                 returning: bool = False) -> list[Any]:
    """One multi-row INSERT (per backend batch limit) of `model`'s own columns of objs."""
    # the id comes from the database (PostgreSQL refuses an explicit NULL for it)
    fields = [f for f in model._meta.local_concrete_fields
              if not f.generated and not isinstance(f, models.AutoField)]
    returning_fields = model._meta.db_returning_fields if returning else None
    size = max(connections[using].ops.bulk_batch_size(fields, objs), 1)
    rows: list[Any] = []
    for start in range(0, len(objs), size):
        rows.extend(model._base_manager._insert(  # type: ignore[attr-defined]
            objs[start:start + size], fields=fields, returning_fields=returning_fields,
            using=using) or [])
    return rows


def insert_items(items: list[ContentItem]) -> None:
    """Save new pages as Model.save would (signals, one row per table of the inheritance
    chain), but with one INSERT per table for all of them.

    The page ids come back from the wagtailcore INSERT (RETURNING, on SQLite and PostgreSQL).
    """
    if not items:
        return
    using = router.db_for_write(Page)
    if (not connections[using].features.can_return_rows_from_bulk_insert
            or any(type(item)._meta.get_parent_list() != [ContentItem, Page] for item in items)):
        for item in items:  # no ids from a multi-row INSERT, or another chain: one save each
            item.save(clean=False, log_action=None)
        return
    for item in items:
        pre_save.send(sender=type(item), instance=item, raw=False, using=using,
                      update_fields=None)
    ids = _insert_rows(Page, [*items], using, returning=True)
    if len(ids) != len(items):
        raise RuntimeError("the page INSERT returned fewer ids than rows")
    for item, (pk,) in zip(items, ids, strict=True):
        item.id = pk
        item.page_ptr_id = pk
        item.contentitem_ptr_id = pk
    _insert_rows(ContentItem, [*items], using)
    by_class: dict[type[ContentItem], list[ContentItem]] = {}
    for item in items:
        by_class.setdefault(type(item), []).append(item)
    for cls, same in by_class.items():
        _insert_rows(cls, same, using)
    for item in items:
        item._state.adding = False
        item._state.db = using
        post_save.send(sender=type(item), instance=item, created=True, update_fields=None,
                       raw=False, using=using)


def _point_at_revisions(page_ids: list[int], page_type: ContentType) -> None:
    """Set each new page's latest and live revision to its (only) revision, in one UPDATE."""
    newest = Subquery(Revision.objects.filter(
        base_content_type=page_type, object_id=Cast(OuterRef("pk"), models.CharField()))
        .order_by("-pk").values("pk")[:1])
    for start in range(0, len(page_ids), 500):
        Page.objects.filter(pk__in=page_ids[start:start + 500]).update(
            latest_revision_id=newest, live_revision_id=newest)


def finish(batch: FastBatch, *, site_root: Page, acting_user: Any) -> None:
    """Revisions, revision pointers, log entries, import links, child counts, signals."""
    batch.settle()
    if not batch.items:
        return
    page_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    relations: dict[type[ContentItem], list[str]] = {}
    for _record, item in batch.items:
        # A new item has no child objects (attachments, comments): say so, so that
        # serializable_data() does not query each relation of each item.
        names = relations.get(type(item))
        if names is None:
            names = [r.get_accessor_name() for r in get_all_child_relations(item)]
            relations[type(item)] = names
        for name in names:
            setattr(item, name, [])
    revisions = Revision.objects.bulk_create([
        Revision(content_type_id=item.content_type_id, base_content_type=page_type,
                 object_id=str(item.pk), user=acting_user, content=item.serializable_data(),
                 object_str=str(item), created_at=now)
        for _record, item in batch.items])
    for (_record, item), revision in zip(batch.items, revisions, strict=True):
        item.latest_revision = revision
        item.live_revision = revision
    _point_at_revisions([item.pk for _record, item in batch.items], page_type)
    PageLogEntry.objects.bulk_create([
        PageLogEntry(content_type_id=item.content_type_id, label=item.title[:255],
                     action=action, timestamp=now, user=acting_user, page_id=item.pk,
                     revision=revision if action == "wagtail.publish" else None,
                     content_changed=True)
        for (_record, item), revision in zip(batch.items, revisions, strict=True)
        for action in ("wagtail.create", "wagtail.publish")])
    ImportedItem.objects.bulk_create([
        ImportedItem(site_root_id=site_root.pk, external_id=record.external_id, page=item,
                     fingerprint=record.fingerprint)
        for record, item in batch.items if record.external_id])
    with publication_burst():
        for (_record, item), revision in zip(batch.items, revisions, strict=True):
            page_published.send(sender=type(item), instance=item, revision=revision)
