"""Static-first serving for the embedded default (`make run`): answer public GET requests from
the published tree, answer retired addresses with 301/410, and fall through to Django for
everything dynamic (admin, search, forms, previews).

A file is served only when its SM3 digest is the one the manifest records, so a file that is
not the publisher's (edited in place, even to the same size; left over by another database;
reached through a symbolic link) is never served from here: the request falls through to
Django, which renders the page from the database. Digests are cached per process, keyed by
(path, mtime_ns, size, inode), so an unchanged file is hashed once.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from wagtail.models import Site

from govsites.core.audit import sm3_hex

from .errors import error_response
from .models import PublishedFile, UrlState
from .paths import GZIP_SUFFIX, HANT_PREFIX, file_for_request_path, site_dir, split_variant
from .selectors import address_state
from .variants import cluster_hosts, current_terms, html_to_hant

DYNAMIC_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/",
                    "/_govsites/", "/search/", "/interact/", "/api/", "/__")
# Application pages that also answer in 繁体 under /zh-hant/ (rendered, then converted).
HANT_DYNAMIC = ("/search/", "/interact/")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
HTML_CACHE_CONTROL = "public, max-age=60"


def _hostname(request: HttpRequest) -> str | None:
    site = Site.find_for_request(request)
    return str(site.hostname) if site is not None else None


DIGEST_CACHE_SIZE = 20_000
_digests: OrderedDict[tuple[str, int, int, int], str] = OrderedDict()
_digests_lock = threading.Lock()


def _digest(path: str, st: os.stat_result, data: bytes) -> str:
    """SM3 of a file's bytes, cached by (path, mtime_ns, size, inode)."""
    key = (path, st.st_mtime_ns, st.st_size, st.st_ino)
    with _digests_lock:
        found = _digests.get(key)
        if found is not None:
            _digests.move_to_end(key)
            return found
    digest = sm3_hex(data)
    with _digests_lock:
        _digests[key] = digest
        while len(_digests) > DIGEST_CACHE_SIZE:
            _digests.popitem(last=False)
    return digest


def read_verified(root: Path, rel: str, expected: str) -> bytes | None:
    """Return the file's bytes when it is a regular file inside root (no link on the way) and
    its digest is `expected`; otherwise None."""
    full = root / rel
    try:
        if os.path.realpath(full) != os.path.join(os.path.realpath(root), rel):
            return None  # a symbolic link somewhere below the site directory
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read()
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size):
        return None  # written to while we read it
    if len(data) != before.st_size or _digest(str(full), before, data) != expected:
        return None
    return data


def serve_published(request: HttpRequest, hostname: str, rel: str) -> HttpResponse | None:
    """Return the published file for a tree-relative path, or None when there is none."""
    suffix = Path(rel).suffix
    if suffix not in CONTENT_TYPES:
        return None
    wanted = [rel]
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        wanted.insert(0, rel + GZIP_SUFFIX)
    digests = dict(PublishedFile.objects.filter(hostname=hostname, path__in=wanted)
                   .exclude(sm3="").values_list("path", "sm3"))
    root = site_dir(hostname)
    for candidate in wanted:
        if candidate not in digests:
            continue
        data = read_verified(root, candidate, digests[candidate])
        if data is None:
            continue  # not what the publisher wrote: Django answers; the guard repairs it
        response = HttpResponse(b"" if request.method == "HEAD" else data,
                                content_type=CONTENT_TYPES[suffix])
        response["Content-Length"] = str(len(data))
        response["Vary"] = "Accept-Encoding"
        response["Cache-Control"] = HTML_CACHE_CONTROL
        response["X-Govsites-Static"] = "1"
        if candidate.endswith(GZIP_SUFFIX):
            response["Content-Encoding"] = "gzip"
        return response
    return None


def gone_response(request: HttpRequest) -> HttpResponse:
    """410 with the site's furniture: the address was published once and has been withdrawn."""
    return error_response(request, 410)


def retired_address(request: HttpRequest, hostname: str, hans_path: str, variant: str
                    ) -> HttpResponse | None:
    """Answer 301 or 410 for an address in the registry that is no longer live."""
    row = address_state(hostname, hans_path)
    if row is None:
        return None
    if row.state == UrlState.MOVED and row.target:
        target = row.target
        if variant == "hant" and target.startswith("/"):
            target = HANT_PREFIX + target
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
    return gone_response(request)


class StaticFirstMiddleware:
    """Serve the published tree first; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in ("GET", "HEAD") or path.startswith(DYNAMIC_PREFIXES):
            return self.get_response(request)
        hostname = _hostname(request)
        if hostname is None:
            return self.get_response(request)
        rel = file_for_request_path(path, request.GET.get("page"))
        if rel is not None:
            response = serve_published(request, hostname, rel)
            if response is not None:
                return response
        variant, hans_path = split_variant(path)
        retired = retired_address(request, hostname, hans_path, variant)
        if retired is not None:
            return retired
        if variant == "hant":
            if hans_path.startswith(DYNAMIC_PREFIXES) and not hans_path.startswith(HANT_DYNAMIC):
                # /zh-hant/admin/… is not the admin: it answers only under its own prefix.
                raise Http404
            return self._dynamic_hant(request, hans_path)
        return self.get_response(request)

    def _dynamic_hant(self, request: HttpRequest, hans_path: str) -> HttpResponse:
        """Render the 简体 page dynamically and convert it, as the publisher would."""
        script = request.META.get("SCRIPT_NAME", "")
        request.path_info = hans_path
        request.path = script.rstrip("/") + hans_path
        request.govsites_variant = "hant"  # type: ignore[attr-defined]
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (response.status_code == 200 and content_type.startswith("text/html")
                and not response.streaming):
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            response.content = html_to_hant(response.content.decode("utf-8"),
                                            current_terms(), cluster_hosts()).encode("utf-8")
            response["Content-Length"] = str(len(response.content))
        elif response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            response["Location"] = HANT_PREFIX + response["Location"]
        return response
