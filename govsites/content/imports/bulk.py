"""The fast path of an import batch: new items published straight away (issue 8 #5).

A migration is mostly new, publishable items. Wagtail's one-page path (`add_child`, then
`save_revision().publish()`) costs about 80 statements per item: a parent lock and a path
query, four model validations, three page saves, two log entries each mirrored into the
audit chain, and eight index tasks. Here a batch's new items get their tree paths from one
read per column, their 索引号 from one counter update per organisation and year, one save each
(the record was validated with the model's rules before anything was written), then one bulk
INSERT each for revisions, Wagtail log entries and import links, one UPDATE for the revision
pointers and one for the columns' child counts. `page_published` is still sent for every
item, so the static site publishes them as usual; indexing is one task per batch.

Held items, drafts, updates, items with attachments and interpretations take Wagtail's path
(writing.py); so does anything the screening flags.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from ..identifiers import reserve_index_numbers
from ..models import ContentItem, ImportedItem
from .parsing import ITEM_CLASSES, ImportRecord


def takes_fast_path(record: ImportRecord) -> bool:
    """A new item, to be published now, with nothing that needs Wagtail's one-page path."""
    return (record.existing is None and record.publish and not record.hold_reason
            and not record.attachments and record.kind != "interpretation")


@dataclass
class FastBatch:
    """New items of one batch waiting for their revisions, logs and links."""

    items: list[tuple[ImportRecord, ContentItem]] = field(default_factory=list)
    last_paths: dict[int, str | None] = field(default_factory=dict)
    added: Counter[int] = field(default_factory=Counter)
    owners: dict[int, Any] = field(default_factory=dict)
    numbers: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def owner_of(self, column: Any) -> Any:
        if column.pk not in self.owners:
            self.owners[column.pk] = column.effective_owner()
        return self.owners[column.pk]

    def next_path(self, parent: Page) -> str:
        if parent.pk not in self.last_paths:
            # the parent row is locked first, as treebeard's add_child does
            Page.objects.select_for_update().filter(pk=parent.pk).values_list("pk").first()
            self.last_paths[parent.pk] = (Page.objects.child_of(parent).order_by("-path")
                                          .values_list("path", flat=True).first())
        last = self.last_paths[parent.pk]
        path = (Page._get_path(parent.path, parent.depth + 1, 1) if last is None
                else Page(path=last)._inc_path())
        self.last_paths[parent.pk] = path
        self.added[parent.pk] += 1
        return path

    def settle(self) -> None:
        """Write the child counts so far and forget the paths (before Wagtail's add_child)."""
        for parent_id, added in self.added.items():
            Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
        self.added.clear()
        self.last_paths.clear()


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
    """Insert one new, live item at the end of its column (revision and logs come later)."""
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
    item._cached_parent_obj = column  # Page.save sets url_path from the parent without a query
    item.save(clean=False, log_action=None)
    batch.items.append((record, item))
    return item


def finish(batch: FastBatch, *, site_root: Page, acting_user: Any) -> None:
    """Revisions, revision pointers, log entries, import links, child counts, signals."""
    batch.settle()
    if not batch.items:
        return
    page_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    for _record, item in batch.items:
        # A new item has no child objects (attachments, comments): say so, so that
        # serializable_data() does not query each relation of each item.
        for relation in get_all_child_relations(item):
            setattr(item, relation.get_accessor_name(), [])
    revisions = Revision.objects.bulk_create([
        Revision(content_type_id=item.content_type_id, base_content_type=page_type,
                 object_id=str(item.pk), user=acting_user, content=item.serializable_data(),
                 object_str=str(item), created_at=now)
        for _record, item in batch.items])
    pages: list[ContentItem] = []
    for (_record, item), revision in zip(batch.items, revisions, strict=True):
        item.latest_revision = revision
        item.live_revision = revision
        pages.append(item)
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])
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
    for (_record, item), revision in zip(batch.items, revisions, strict=True):
        page_published.send(sender=type(item), instance=item, revision=revision)
