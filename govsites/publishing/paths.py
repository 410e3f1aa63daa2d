"""Where published files live and how a public address maps to a file.

The tree has one directory per Wagtail site, named by the site's hostname, so one web server
can route by Host. 繁体 pages live under HANT_PREFIX inside the same directory. A listing's
newest page is index.html; its older page N (N ≥ 1, counted from the oldest end, asked for
as ?page=N; see content/listing.py) is the file index_N.html beside it.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

HANT_PREFIX = "/zh-hant"
INDEX = "index.html"
GZIP_SUFFIX = ".gz"
# Files that the tree may hold besides HTML: feeds, sitemaps, robots.txt.
COMPRESSIBLE = (".html", ".xml", ".txt", ".css", ".js", ".json", ".svg")
_SAFE_SEGMENT = re.compile(r"^[\w.\-~%]+$", re.ASCII)


def publish_root() -> Path:
    """Return the root of the published tree (GOVSITES_PUBLISH_ROOT or DATA_DIR/published)."""
    configured = getattr(settings, "GOVSITES_PUBLISH_ROOT", None)
    if configured:
        return Path(configured)
    data_dir = getattr(settings, "DATA_DIR", None) or Path.cwd() / "var"
    return Path(data_dir) / "published"


def site_dir(hostname: str) -> Path:
    """Return the directory holding one site's tree."""
    if not hostname or "/" in hostname or hostname.startswith("."):
        raise ValueError(f"unusable site hostname {hostname!r}")
    return publish_root() / hostname


def listing_file(url_path: str, page_number: int = 0) -> str:
    """Return the tree-relative file for an address: a file address (an item's
    `…/t20261201_42.html`) is its own file; one ending in '/' gets index.html (0: the newest
    page; N ≥ 1: older page N of a listing)."""
    if not url_path.endswith("/"):
        return url_path.lstrip("/")
    name = INDEX if page_number <= 0 else f"index_{page_number}.html"
    return url_path.lstrip("/") + name


def file_for_request_path(path: str, page_arg: str | None = None) -> str | None:
    """Map a request path (and its ?page= value) to a tree-relative file, or None when the
    path cannot name a published file (traversal, odd characters)."""
    if not path.startswith("/"):
        return None
    segments = [s for s in path.split("/") if s]
    for segment in segments:
        if segment in (".", "..") or not _SAFE_SEGMENT.match(segment):
            return None
    if path.endswith("/"):
        number = 0
        if page_arg and page_arg.isascii() and page_arg.isdigit() and len(page_arg) <= 9:
            number = int(page_arg)
        return listing_file(path, number)
    return "/".join(segments)


def hant_path(url_path: str) -> str:
    """Return the 繁体 address of a 简体 address."""
    return HANT_PREFIX + url_path


def split_variant(url_path: str) -> tuple[str, str]:
    """Return ('hant'|'hans', the 简体 address) for a request path."""
    if url_path == HANT_PREFIX or url_path.startswith(HANT_PREFIX + "/"):
        return "hant", url_path[len(HANT_PREFIX):] or "/"
    return "hans", url_path


def _fsync_enabled() -> bool:
    return bool(getattr(settings, "GOVSITES_PUBLISH_FSYNC", False))


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that no reader ever sees it half-written: temp file + os.replace."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if _fsync_enabled():
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def gzip_bytes(data: bytes) -> bytes:
    """Compress deterministically (mtime 0) so the same page always gives the same .gz."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def is_temp_name(name: str) -> bool:
    return name.startswith(".tmp-")
