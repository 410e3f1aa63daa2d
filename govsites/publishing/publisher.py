"""The publisher: renders targets, writes them atomically with a .gz beside each, records
every file in the manifest (SM3, size, time) and keeps the address registry (live, 301, 410).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from govsites.content.models import ColumnPage
from govsites.core.audit import sm3_hex

from . import feeds
from .mirror import current_mirror
from .models import PublishedFile, PublishedUrl, UrlState
from .paths import (
    COMPRESSIBLE,
    GZIP_SUFFIX,
    gzip_bytes,
    hant_path,
    listing_file,
    site_dir,
    write_atomic,
)
from .render import (
    RenderedPage,
    RenderSession,
    SiteInfo,
    load_pages,
    render_errors,
    render_listing,
    render_page,
    render_site_map,
)
from .targets import Plan, Target

MANIFEST_BATCH = 500


@dataclass(frozen=True)
class Output:
    """One file a target produces (relative to the site directory)."""

    path: str
    data: bytes
    page_id: int | None = None


@dataclass
class BuildStats:
    targets: int = 0
    html_pages: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    bytes_written: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: BuildStats) -> None:
        self.targets += other.targets
        self.html_pages += other.html_pages
        self.files_written += other.files_written
        self.files_unchanged += other.files_unchanged
        self.files_removed += other.files_removed
        self.bytes_written += other.bytes_written
        self.errors += other.errors


def _page_outputs(session: RenderSession, info: SiteInfo, page: Page) -> list[Output]:
    outputs: list[Output] = []
    for rendered in _render(session, info, page):
        outputs.append(Output(listing_file(rendered.url_path, rendered.page_number),
                              rendered.html, page.pk))
        outputs.append(Output(listing_file(hant_path(rendered.url_path), rendered.page_number),
                              session.to_hant(rendered.html), page.pk))
    return outputs


def _render(session: RenderSession, info: SiteInfo, page: Page) -> list[RenderedPage]:
    return render_page(session, info, page)


def outputs_for(session: RenderSession, target: Target, preloaded: dict[int, Page] | None = None
                ) -> list[Output] | None:
    """Render a target; None means it no longer exists (its files must go)."""
    info = session.site_by_id(target.site_id)
    if info is None:
        return None
    if target.kind == "page":
        if preloaded is None:
            preloaded = load_pages(session, [target.object_id])
        page = preloaded.get(target.object_id)
        if page is None or not page.live:
            return None
        if session.site_for_page(page) is not info:
            return None
        return _page_outputs(session, info, page)
    if target.kind == "listing":
        column = Page.objects.filter(pk=target.object_id, live=True).specific().first()
        if column is None or session.site_for_page(column) is not info:
            return None
        rendered = render_listing(session, info, column, target.part)
        if rendered is None:
            return None
        return [Output(listing_file(rendered.url_path, rendered.page_number), rendered.html),
                Output(listing_file(hant_path(rendered.url_path), rendered.page_number),
                       session.to_hant(rendered.html))]
    if target.kind == "errors":
        outputs = []
        for name, html in render_errors(session, info):
            outputs += [Output(name, html),
                        Output(hant_path("/" + name).lstrip("/"), session.to_hant(html))]
        return outputs
    if target.kind == "sitemap_page":
        html = render_site_map(session, info)
        return [Output("site-map/index.html", html),
                Output(listing_file(hant_path("/site-map/")), session.to_hant(html))]
    if target.kind == "feeds":
        column = None
        if target.object_id:
            column = ColumnPage.objects.live().filter(pk=target.object_id).first()
            if column is None:
                return None
        return [Output(p, d) for p, d in feeds.render_feeds(session, info, column)]
    if target.kind == "sitemap":
        data = feeds.render_sitemap_chunk(info, target.object_id)
        if b"<url>" not in data:
            return None
        name = feeds.sitemap_chunk_name(target.object_id)
        return [Output(name, data),
                Output(hant_path("/" + name).lstrip("/"),
                       feeds.render_sitemap_chunk(info, target.object_id, "hant"))]
    if target.kind == "sitemap_index":
        chunks = feeds.sitemap_chunks(info)
        return [Output("sitemap.xml", feeds.render_sitemap_index(info, chunks)),
                Output(hant_path("/sitemap.xml").lstrip("/"),
                       feeds.render_sitemap_index(info, chunks, "hant"))]
    if target.kind == "robots":
        return [Output("robots.txt", feeds.render_robots(info))]
    raise ValueError(f"unknown target {target.key}")


@dataclass(frozen=True)
class FileWrite:
    """One file to put in place, with what the manifest records for it."""

    rel: str
    data: bytes
    digest: str
    target: str
    page_id: int | None


class ManifestWriter:
    """Announce, then confirm, the writes and removals of one batch (see PublishedFile).

    announce() commits the intent before any file is touched; confirm() records the result
    after the files are in place. A process killed between the two leaves rows that name both
    the old and the new digest, never a file the manifest does not know.
    """

    def __init__(self, hostname: str) -> None:
        self.hostname = hostname

    def announce(self, writes: list[FileWrite], removals: list[str]) -> None:
        if not writes and not removals:
            return
        now = timezone.now()
        with transaction.atomic():
            if writes:
                PublishedFile.objects.bulk_create(
                    [PublishedFile(hostname=self.hostname, path=w.rel, sm3="", size=0,
                                   written_at=now, target=w.target, page_id=w.page_id,
                                   pending=w.digest, pending_size=len(w.data)) for w in writes],
                    batch_size=MANIFEST_BATCH, update_conflicts=True,
                    unique_fields=["hostname", "path"],
                    update_fields=["pending", "pending_size", "target", "page_id"])
            for i in range(0, len(removals), MANIFEST_BATCH):
                PublishedFile.objects.filter(
                    hostname=self.hostname, path__in=removals[i:i + MANIFEST_BATCH]
                ).update(pending="-", pending_size=None)

    def confirm(self, writes: list[FileWrite], removals: list[str], now: dt.datetime) -> None:
        if not writes and not removals:
            return
        with transaction.atomic():
            if writes:
                PublishedFile.objects.bulk_create(
                    [PublishedFile(hostname=self.hostname, path=w.rel, sm3=w.digest,
                                   size=len(w.data), written_at=now, target=w.target,
                                   page_id=w.page_id, pending="", pending_size=None)
                     for w in writes],
                    batch_size=MANIFEST_BATCH, update_conflicts=True,
                    unique_fields=["hostname", "path"],
                    update_fields=["sm3", "size", "written_at", "target", "page_id", "pending",
                                   "pending_size"])
            for i in range(0, len(removals), MANIFEST_BATCH):
                PublishedFile.objects.filter(
                    hostname=self.hostname, path__in=removals[i:i + MANIFEST_BATCH]
                ).delete()


def remove_file(root: Path, rel: str) -> bool:
    """Delete a published file (or a link planted in its place); say whether it was there."""
    try:
        os.unlink(root / rel)
        return True
    except FileNotFoundError:
        return False


def remove_files(hostname: str, paths: list[str]) -> int:
    """Take published files down the safe way: announce, unlink, confirm."""
    manifest = ManifestWriter(hostname)
    manifest.announce([], paths)
    root = site_dir(hostname)
    removed = sum(remove_file(root, rel) for rel in paths)
    manifest.confirm([], paths, timezone.now())
    return removed


class Publisher:
    """Writes targets. One instance per run."""

    def __init__(self, session: RenderSession | None = None,
                 now: Callable[[], dt.datetime] = timezone.now, *, force: bool = False) -> None:
        self.session = session or RenderSession.load()
        self.now = now
        self.force = force  # write even when the manifest says the file is unchanged

    def _known(self, hostname: str, keys: Iterable[str]) -> dict[str, dict[str, tuple[str, int]]]:
        known: dict[str, dict[str, tuple[str, int]]] = {}
        for row in (PublishedFile.objects.filter(hostname=hostname, target__in=list(keys))
                    .values_list("target", "path", "sm3", "size")):
            known.setdefault(row[0], {})[row[1]] = (row[2], row[3])
        return known

    def write_targets(self, targets: Iterable[Target],
                      on_progress: Callable[[int], None] | None = None) -> BuildStats:
        """Render and write targets, grouped by site; return what was done."""
        stats = BuildStats()
        by_site: dict[int, list[Target]] = {}
        for t in targets:
            by_site.setdefault(t.site_id, []).append(t)
        for site_id, group in by_site.items():
            info = self.session.site_by_id(site_id)
            if info is None:
                continue
            for i in range(0, len(group), 100):
                batch = group[i:i + 100]
                stats.add(self._write_batch(info, batch))
                if on_progress is not None:
                    on_progress(len(batch))
        return stats

    def _write_batch(self, info: SiteInfo, batch: list[Target]) -> BuildStats:
        """Render a batch, announce its files, put them in place, confirm them."""
        stats = BuildStats(targets=len(batch))
        root = site_dir(info.hostname)
        known = self._known(info.hostname, [t.key for t in batch])
        pages = load_pages(self.session, [t.object_id for t in batch if t.kind == "page"])
        writes: list[FileWrite] = []
        removals: list[str] = []
        for target in batch:
            try:
                outputs = outputs_for(self.session, target, pages)
            except Exception as exc:  # a broken page must not stop the whole run
                stats.errors.append(f"{target.key}: {type(exc).__name__}: {exc}")
                continue
            previous = known.get(target.key, {})
            produced: set[str] = set()
            for out in outputs or []:
                files = [(out.path, out.data)]
                if out.path.endswith(COMPRESSIBLE):
                    files.append((out.path + GZIP_SUFFIX, gzip_bytes(out.data)))
                if out.path.endswith(".html"):
                    stats.html_pages += 1
                # The .gz first: a reader never gets a new page with an older .gz after it.
                for rel, data in reversed(files):
                    produced.add(rel)
                    digest = sm3_hex(data)
                    if (not self.force and previous.get(rel) == (digest, len(data))
                            and (root / rel).is_file()):
                        stats.files_unchanged += 1
                        continue
                    writes.append(FileWrite(rel, data, digest, target.key, out.page_id))
            removals += sorted(set(previous) - produced)
        manifest = ManifestWriter(info.hostname)
        manifest.announce(writes, removals)
        for w in writes:
            write_atomic(root / w.rel, w.data)
            stats.files_written += 1
            stats.bytes_written += len(w.data)
        for rel in removals:
            stats.files_removed += remove_file(root, rel)
        mirror = current_mirror()
        if mirror is not None and writes:
            mirror.upload([(w.digest, w.data) for w in writes])
        manifest.confirm(writes, removals, self.now())
        return stats

    def sync_urls(self, page_ids: Iterable[int]) -> bool:
        """Record where each page is live now; old addresses become 301 or 410. Return
        whether any address changed state (the nginx map of retired addresses follows)."""
        ids = set(page_ids)
        changed = False
        if not ids:
            return changed
        pages = {p.pk: p for p in Page.objects.filter(pk__in=ids).only(
            "pk", "url_path", "live", "content_type_id", "first_published_at")}
        with transaction.atomic():
            for pk in ids:
                page = pages.get(pk)
                info = self.session.site_for_page(page) if page is not None else None
                current = None
                if page is not None and info is not None and page.live:
                    current = info.relative_url(page)
                rows = PublishedUrl.objects.filter(page_id=pk).exclude(state=UrlState.GONE)
                for row in rows:
                    same_host = info is not None and row.hostname == info.hostname
                    if current is not None and same_host and row.path == current:
                        continue
                    if current is not None and info is not None:
                        row.state = UrlState.MOVED
                        row.target = current if same_host else f"//{info.host_header}{current}"
                    else:
                        row.state, row.target = UrlState.GONE, ""
                    row.save(update_fields=["state", "target", "updated_at"])
                    changed = True
                    if not same_host:
                        self._remove_page_files(row.hostname, pk)
                if current is not None and info is not None:
                    revived = PublishedUrl.objects.filter(
                        hostname=info.hostname, path=current).exclude(state=UrlState.LIVE)
                    changed = changed or revived.exists()
                    PublishedUrl.objects.update_or_create(
                        hostname=info.hostname, path=current,
                        defaults={"page_id": pk, "state": UrlState.LIVE, "target": ""})
        return changed

    def _remove_page_files(self, hostname: str, page_id: int) -> None:
        """Delete a page's files from a site it no longer belongs to."""
        remove_files(hostname, list(PublishedFile.objects.filter(
            hostname=hostname, page_id=page_id).values_list("path", flat=True)))

    def rebuild_urls(self, info: SiteInfo) -> None:
        """Bulk form of sync_urls for a full rebuild of one site."""
        home = Page.objects.get(pk=info.root_page_id)
        live = {info.relative_url(p): p.pk for p in Page.objects.live().descendant_of(
            home, inclusive=True).only("pk", "url_path", "content_type_id",
                                       "first_published_at")}
        existing = {r.path: r for r in PublishedUrl.objects.filter(hostname=info.hostname)}
        by_page = {pk: path for path, pk in live.items()}
        new_rows, changed = [], []
        for path, pk in live.items():
            row = existing.get(path)
            if row is None:
                new_rows.append(PublishedUrl(hostname=info.hostname, path=path, page_id=pk))
            elif row.page_id != pk or row.state != UrlState.LIVE:
                row.page_id, row.state, row.target = pk, UrlState.LIVE, ""
                changed.append(row)
        for path, row in existing.items():
            if path in live or row.state == UrlState.GONE:
                continue
            moved_to = by_page.get(row.page_id) if row.page_id else None
            if moved_to is not None:
                row.state, row.target = UrlState.MOVED, moved_to
            elif row.state == UrlState.LIVE:
                row.state, row.target = UrlState.GONE, ""
            else:
                continue
            changed.append(row)
        with transaction.atomic():
            PublishedUrl.objects.bulk_create(new_rows, batch_size=MANIFEST_BATCH)
            PublishedUrl.objects.bulk_update(changed, ["page_id", "state", "target"],
                                             batch_size=MANIFEST_BATCH)


def publish_plan(plan: Plan, session: RenderSession | None = None) -> BuildStats:
    """Write everything a change touched and update the address registry."""
    publisher = Publisher(session)
    stats = publisher.write_targets(sorted(plan.targets))
    if publisher.sync_urls(plan.touched_page_ids):
        from .nginx import write_retired_map

        write_retired_map()
    return stats
