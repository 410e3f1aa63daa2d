"""Operations middleware: the embedded mode's visit log, and sites not simply online.

The visit log: the application writes what nginx would (`make run`).

In production nginx serves the published pages and logs them (`govsites nginx-config`); in the
embedded mode the application answers them itself, so this middleware appends the same
`govsites_visits` line for each public request it answers. Off unless GOVSITES_VISITS_APP_LOG.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from govsites.core.clientaddr import client_address

from .visitlog import NOT_PAGES, format_line

logger = logging.getLogger(__name__)
_lock = threading.Lock()


class VisitLogMiddleware:
    """Append one visit-log line per public request (pages and 404s; not the admin or assets)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "GOVSITES_VISITS_APP_LOG", False):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.path = Path(settings.GOVSITES_VISITS_LOG)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and not request.path.startswith(NOT_PAGES):
            try:
                self._write(request, response)
            except Exception:  # a visit log must never break a page
                logger.exception("写访问日志失败")
        return response

    def _write(self, request: HttpRequest, response: HttpResponse) -> None:
        site = Site.find_for_request(request)
        if site is None:
            return
        line = format_line(
            when=timezone.localtime(), site=str(site.hostname),
            address=client_address(request), method=request.method or "GET",
            uri=request.get_full_path(), status=response.status_code,
            referrer=request.headers.get("Referer", ""),
            agent=request.headers.get("User-Agent", ""),
            mode=request.COOKIES.get("govsites_mode", ""))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, self.path.open("a", encoding="ascii") as log:
            log.write(line)


class SiteLifecycleMiddleware:
    """Answer for a site that is suspended, closed or migrated (see lifecycle.py).

    Public requests only: the admin, documents and assets are served as usual.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(NOT_PAGES):
            return self.get_response(request)
        site = Site.find_for_request(request)
        if site is None:
            return self.get_response(request)
        from govsites.sites.selectors import profile_for_site

        from .lifecycle import cached_state_for

        state = cached_state_for(f"{site.hostname}:{site.port}:{site.pk}",
                                 lambda: profile_for_site(site))
        if state is None:
            return self.get_response(request)
        if state.mode == "moved":
            return HttpResponsePermanentRedirect(state.target_url + request.get_full_path())
        status = {"suspended": 503, "closed": 200, "gone": 410}[state.mode]
        response = render(request, "operations/site_notice.html",
                          {"state": state, "site": site}, status=status)
        if state.mode == "suspended" and state.until is not None:
            response["Retry-After"] = str(max(
                int((dt.datetime.combine(state.until, dt.time(), tzinfo=dt.UTC)
                     - timezone.now()).total_seconds()), 3600))
        response["Cache-Control"] = "no-store"
        return response
