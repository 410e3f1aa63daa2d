"""Importing visit logs into the daily aggregates (`govsites visits import`, the worker's job).

A log file is known by the SHA-256 of its first line: nginx's rotation renames `visits.log`
to `visits.log.1` and later gzips it, and all three copies start with the same line, so an
import resumes after the bytes already counted and never counts a line twice. Only complete
lines are counted (a line being written is left for the next import). Each file's counts and
its new position are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import glob
import gzip
import hashlib
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from govsites.core import audit
from govsites.sites.selectors import all_sites

from . import audit as actions
from .models import (
    DailyNotFound,
    DailyPageViews,
    DailyReferrer,
    DailySearchTerm,
    DailySiteVisits,
    IngestedLog,
    VisitorSalt,
    VisitorSet,
)
from .visitlog import COUNTERS, VISITOR_BYTES, LogCounter

READ_BLOCK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class FileResult:
    """What one import did with one file."""

    path: str
    lines: int
    skipped_bytes: int
    malformed: int
    unknown_site: int


def log_files(patterns: Iterable[str] | None = None) -> list[Path]:
    """The visit logs to read: the configured globs (GOVSITES_VISITS_LOGS), oldest rotation first."""
    found: set[Path] = set()
    for pattern in patterns if patterns is not None else settings.GOVSITES_VISITS_LOGS:
        found.update(Path(p) for p in glob.glob(str(pattern)) if Path(p).is_file())
    # visits.log.3.gz before visits.log.2.gz before visits.log.1 before visits.log.
    return sorted(found, key=lambda p: (-_rotation_number(p), str(p)))


def _rotation_number(path: Path) -> int:
    name = path.name.removesuffix(".gz")
    tail = name.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    if gzipped:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def fingerprint(path: Path) -> str | None:
    """SHA-256 of the file's first complete line, or None while it has none."""
    with _open(path) as stream:
        first = stream.readline(64 * 1024)
    if not first.endswith(b"\n"):
        return None
    return hashlib.sha256(first).hexdigest()


def salt_for(day: dt.date) -> bytes:
    """The day's visitor salt, made on first use (random, never derived from the date)."""
    row = VisitorSalt.objects.filter(day=day).first()
    if row is None:
        VisitorSalt.objects.bulk_create([VisitorSalt(day=day, salt=secrets.token_hex(32))],
                                        ignore_conflicts=True)
        row = VisitorSalt.objects.get(day=day)
    return bytes.fromhex(row.salt)


def new_counter() -> LogCounter:
    """A counter that knows the registered sites and the names each answers to."""
    sites: dict[str, int] = {}
    own: dict[int, set[str]] = {}
    for profile in all_sites():
        names = {profile.site.hostname, profile.domain}
        if profile.chinese_domain:
            names.add(profile.chinese_domain)
        sites[profile.site.hostname] = profile.pk
        own[profile.pk] = names
    salts: dict[dt.date, bytes] = {}

    def cached_salt(day: dt.date) -> bytes:
        if day not in salts:
            salts[day] = salt_for(day)
        return salts[day]

    return LogCounter(sites=sites, own_hosts=own, salt_for=cached_salt)


def _complete_lines(stream: IO[bytes], start: int) -> Iterator[tuple[bytes, int]]:
    """Yield (block of complete lines, bytes consumed so far) from byte offset `start`."""
    if start:
        if isinstance(stream, gzip.GzipFile):
            remaining = start
            while remaining:
                chunk = stream.read(min(remaining, READ_BLOCK))
                if not chunk:
                    return
                remaining -= len(chunk)
        else:
            stream.seek(start)
    done = start
    carry = b""
    while True:
        chunk = stream.read(READ_BLOCK)
        if not chunk:
            return
        chunk = carry + chunk
        cut = chunk.rfind(b"\n") + 1
        carry = chunk[cut:]
        if cut:
            done += cut
            yield chunk[:cut], done


def import_file(path: Path, *, acting_user: Any = None) -> FileResult:
    """Count the new complete lines of one log file into the daily aggregates."""
    mark = fingerprint(path)
    if mark is None:
        return FileResult(str(path), 0, 0, 0, 0)
    with transaction.atomic():
        record, _ = IngestedLog.objects.select_for_update().get_or_create(
            fingerprint=mark, defaults={"name": str(path)})
        counter = new_counter()
        done = record.bytes_done
        with _open(path) as stream:
            for block, consumed in _complete_lines(stream, record.bytes_done):
                done = consumed
                counter.add_lines(block.decode("utf-8", "replace").split("\n")[:-1])
        skipped = record.bytes_done
        if done == record.bytes_done:
            return FileResult(str(path), 0, skipped, 0, 0)
        save_counts(counter)
        record.bytes_done = done
        record.lines_done += counter.lines
        record.name = str(path)
        record.save(update_fields=["bytes_done", "lines_done", "name", "last_imported_at"])
        audit.record(action=actions.VISITS_IMPORT, actor=acting_user, obj=record,
                     details={"file": str(path), "lines": counter.lines,
                              "malformed": counter.malformed,
                              "unknown_site": counter.unknown_site})
    return FileResult(str(path), counter.lines, skipped, counter.malformed, counter.unknown_site)


def import_logs(*, paths: Iterable[Path] | None = None, acting_user: Any = None) -> list[FileResult]:
    """Import every configured (or given) log file; then forget salts past retention."""
    results = [import_file(Path(p), acting_user=acting_user)
               for p in (paths if paths is not None else log_files())]
    forget_old_salts()
    return results


def forget_old_salts(today: dt.date | None = None) -> int:
    """Delete salts and visitor digests older than GOVSITES_VISITS_SALT_DAYS days."""
    cutoff = salt_cutoff(today)
    VisitorSet.objects.filter(day__lt=cutoff).delete()
    deleted, _ = VisitorSalt.objects.filter(day__lt=cutoff).delete()
    return deleted


def salt_cutoff(today: dt.date | None = None) -> dt.date:
    """The first day whose salt and visitor digests are still kept."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.GOVSITES_VISITS_SALT_DAYS)


def _merge(model: type[models.Model], keys: tuple[str, ...], value: str,
           counts: dict[tuple[Any, ...], int]) -> None:
    """Add counts to rows keyed by `keys` (site, day, ...), creating the missing ones."""
    if not counts:
        return
    by_day: dict[tuple[int, dt.date], list[tuple[Any, ...]]] = {}
    for key in counts:
        by_day.setdefault((key[0], key[1]), []).append(key)
    manager: Any = model._default_manager
    for (site_id, day), wanted in by_day.items():
        existing = {tuple(getattr(row, f) for f in keys): row
                    for row in manager.filter(site_id=site_id, day=day)}
        changed, created = [], []
        for key in wanted:
            row = existing.get(key)
            if row is None:
                created.append(model(**dict(zip(keys, key, strict=True)), **{value: counts[key]}))
            else:
                setattr(row, value, getattr(row, value) + counts[key])
                changed.append(row)
        manager.bulk_create(created, batch_size=500)
        manager.bulk_update(changed, [value], batch_size=500)


def _add_visitors(site_id: int, day: dt.date, digests: set[bytes], known: int) -> int:
    """Merge a day's new visitor digests into its stored set; return the day's 独立访客.

    A day past retention has no stored set any more (its digests were deleted with its
    salt): the visitors of a late log of that day can then only be added to the count.
    """
    stored = VisitorSet.objects.select_for_update().filter(site_id=site_id, day=day).first()
    if stored is None and known:
        return known + len(digests)
    size = VISITOR_BYTES
    previous = bytes(stored.digests) if stored is not None else b""
    merged = {previous[i:i + size] for i in range(0, len(previous), size)} | digests
    blob = b"".join(sorted(merged))
    if stored is None:
        VisitorSet.objects.create(site_id=site_id, day=day, digests=blob)
    else:
        stored.digests = blob
        stored.save(update_fields=["digests"])
    return len(merged)


def save_counts(counter: LogCounter) -> None:
    """Write one import's counters into the daily tables (inside the caller's transaction)."""
    for (site_id, day), bucket in counter.buckets.items():
        row, _ = DailySiteVisits.objects.select_for_update().get_or_create(site_id=site_id, day=day)
        for name, value in zip(COUNTERS, bucket.totals, strict=True):
            setattr(row, name, getattr(row, name) + value)
        if bucket.visitors:
            row.unique_visitors = _add_visitors(site_id, day, bucket.visitors,
                                                row.unique_visitors)
        row.save()
    _merge(DailyPageViews, ("site_id", "day", "path"), "views", counter.pages)
    _merge(DailyNotFound, ("site_id", "day", "path"), "hits", counter.missing)
    _merge(DailyReferrer, ("site_id", "day", "host"), "views", counter.referrers)
    _merge(DailySearchTerm, ("site_id", "day", "source", "term"), "count", counter.terms)

