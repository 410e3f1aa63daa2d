"""Write validated import records in short transactions (issue 8 #5).

`write_batch` writes a slice of the records in one transaction: creates or updates each item,
attaches its files, publishes it or keeps it as a draft, and submits a held draft to its
review chain. Search and reference indexing is deferred to one task per batch
(`indexing.py`), and slugs are allocated from one read per column, not one query per try.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.utils.text import slugify
from wagtail.models import Page

from ..models import ContentAttachment, ContentItem, ImportedItem, PolicyDocumentPage
from .files import open_contained
from .parsing import ITEM_CLASSES, ImportRecord, existing_item


@dataclass
class ImportSummary:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: list[tuple[int, str, str]] = field(default_factory=list)  # line, title, reason


@dataclass
class WrittenRecord:
    """One record as written: the page and what it was before (for an undo)."""

    record: ImportRecord
    item: ContentItem
    created: bool
    previous_revision_id: int | None = None
    previous_live_revision_id: int | None = None
    previous_fingerprint: str = ""


class SlugAllocator:
    """Hand out child slugs per column from one read of the slugs already used."""

    def __init__(self) -> None:
        self._used: dict[int, set[str]] = {}
        self._next: dict[tuple[int, str], int] = {}

    def allocate(self, parent: Page, title: str) -> str:
        used = self._used.get(parent.pk)
        if used is None:
            used = set(Page.objects.child_of(parent).values_list("slug", flat=True))
            self._used[parent.pk] = used
        stem = slugify(title, allow_unicode=False)[:40] or "item"
        n = self._next.get((parent.pk, stem), 1)
        slug = stem if n == 1 else f"{stem}-{n}"
        while slug in used:
            n += 1
            slug = f"{stem}-{n}"
        self._next[(parent.pk, stem)] = n
        used.add(slug)
        return slug


def write_order(records: list[ImportRecord]) -> list[ImportRecord]:
    """Policies first so interpretations can link to them; then file order."""
    return sorted(records, key=lambda r: (r.kind != "policy", r.line))


def _resolve_policy(ref: str, site_root: Page, written: dict[str, ContentItem]) -> Any:
    if ref in written:
        return written[ref]
    existing = existing_item(site_root, ref)
    if existing is not None:
        return existing
    return PolicyDocumentPage.objects.filter(document_number=ref, alias_of__isnull=True).first()


def _attach_documents(item: ContentItem, attachments: list[tuple[Path, str]], base_dir: Path,
                      acting_user: Any) -> None:
    """Replace an item's attachments when the file set changed (by name and size)."""
    from wagtail.documents import get_document_model

    wanted = [(path.name, path.stat().st_size, title) for path, title in attachments]
    current = [(a.document.filename, a.document.get_file_size(), a.title)
               for a in item.attachments.all()] if item.pk else []
    if wanted == current:
        return
    item.attachments.all().delete()
    document_model = get_document_model()
    for order, (path, title) in enumerate(attachments):
        with os.fdopen(open_contained(base_dir, path), "rb") as fh:
            document = document_model(title=title, uploaded_by_user=acting_user)
            document.file.save(path.name, File(fh), save=False)
            document.save()
        ContentAttachment.objects.create(item=item, document=document, title=title,
                                         sort_order=order)


def _submit_for_review(item: ContentItem, acting_user: Any) -> bool:
    """Start the item's review chain (Wagtail's 提交审核) so it reaches a reviewer's 我的待办."""
    workflow = item.get_workflow()
    if workflow is None or not workflow.active or item.workflow_in_progress:
        return False
    workflow.start(item, acting_user)
    return True


@dataclass
class BatchContext:
    """What stays the same across the batches of one import."""

    site_root: Page
    acting_user: Any
    slugs: SlugAllocator = field(default_factory=SlugAllocator)
    written: dict[str, ContentItem] = field(default_factory=dict)


def screening_holds(records: list[ImportRecord]) -> dict[int, str]:
    """Why the screening holds each record (by line), for the records it flags."""
    from types import SimpleNamespace

    from ..screening_hooks import default_screener, screening_hold_reason

    holds: dict[int, str] = {}
    if not records:
        return holds
    screener = default_screener()  # one dictionary version check per batch, not per record
    for record in records:
        reason = screening_hold_reason(SimpleNamespace(title=record.title,
                                                       body=record.body_html),
                                       screener=screener)
        if reason:
            holds[record.line] = reason
    return holds


def write_batch(records: list[ImportRecord], ctx: BatchContext, summary: ImportSummary
                ) -> list[WrittenRecord]:
    """Write a batch (inside the caller's transaction): new publishable items in bulk,
    the rest one by one through Wagtail; return what was created or changed."""
    from . import bulk

    holds = screening_holds([r for r in records if not r.unchanged])
    fast = bulk.FastBatch()
    bulk.reserve_numbers([r for r in records if bulk.takes_fast_path(r) and r.line not in holds],
                         fast)
    done: list[WrittenRecord] = []
    for record in records:
        if bulk.takes_fast_path(record) and record.line not in holds:
            item = bulk.save_new_item(record, dict(record.fields),
                                      ctx.slugs.allocate(record.column, record.title),
                                      ctx.acting_user, fast)
            summary.created += 1
            if record.external_id:
                ctx.written[record.external_id] = item
            done.append(WrittenRecord(record=record, item=item, created=True))
            continue
        fast.settle()
        written = write_record(record, ctx, summary, holds.get(record.line, ""))
        if written is not None:
            done.append(written)
    bulk.finish(fast, site_root=ctx.site_root, acting_user=ctx.acting_user)
    return done


def write_record(record: ImportRecord, ctx: BatchContext, summary: ImportSummary,
                 screening_hold: str = "") -> WrittenRecord | None:
    """Create or update one item through Wagtail (inside the caller's transaction).

    Return None when the record is unchanged since its last import.
    """
    from ..services import check_publishable

    if record.unchanged and record.existing is not None:
        summary.unchanged += 1
        if record.external_id:
            ctx.written[record.external_id] = record.existing
        return None
    fields = dict(record.fields)
    if record.kind == "interpretation":
        fields["policy"] = _resolve_policy(record.policy_ref, ctx.site_root, ctx.written).original
    item = record.existing
    if item is None:
        cls = ITEM_CLASSES[record.kind]
        item = cls(title=record.title, slug=ctx.slugs.allocate(record.column, record.title),
                   body=record.body_html, owner=ctx.acting_user, live=False, **fields)
        if record.published_at:
            item.first_published_at = record.published_at
        record.column.add_child(instance=item)
        summary.created += 1
        done = WrittenRecord(record=record, item=item, created=True)
        if record.external_id:
            ImportedItem.objects.create(site_root_id=ctx.site_root.pk,
                                        external_id=record.external_id, page=item,
                                        fingerprint=record.fingerprint)
    else:
        link = ImportedItem.objects.get(site_root_id=ctx.site_root.pk,
                                        external_id=record.external_id)
        done = WrittenRecord(record=record, item=item, created=False,
                             previous_revision_id=item.latest_revision_id,
                             previous_live_revision_id=item.live_revision_id,
                             previous_fingerprint=link.fingerprint)
        item.title = record.title
        for key, value in {"body": record.body_html, **fields}.items():
            setattr(item, key, value)
        link.fingerprint = record.fingerprint
        link.save(update_fields=["fingerprint", "imported_at"])
        summary.updated += 1
    _attach_documents(item, record.attachments, record.base_dir, ctx.acting_user)
    hold = "；".join(r for r in (record.hold_reason, screening_hold) if r)
    if hold:
        item.save_revision(user=ctx.acting_user)
        _submit_for_review(item, ctx.acting_user)
        summary.held.append((record.line, record.title, hold))
    elif record.publish:
        check_publishable(item)
        item.save_revision(user=ctx.acting_user).publish(user=ctx.acting_user)
    else:
        item.save_revision(user=ctx.acting_user)
    if record.external_id:
        ctx.written[record.external_id] = item
    return done
