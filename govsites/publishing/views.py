"""Dynamic helpers of the public pages: the 适老化/无障碍 mode switch and its stylesheet."""

from __future__ import annotations

import logging
import sys
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import error_response, plain_error, published_error

logger = logging.getLogger(__name__)

MODE_COOKIE = "govsites_mode"
MODES = {"care": "govsites/mode-care.css", "standard": "govsites/mode-standard.css"}
COOKIE_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=4)
def _stylesheet(name: str) -> bytes:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    with open(found if isinstance(found, str) else found[0], "rb") as fh:
        return fh.read()


def mode_from_request(request: HttpRequest) -> str:
    return "care" if request.COOKIES.get(MODE_COOKIE) == "care" else "standard"


def mode_css(request: HttpRequest) -> HttpResponse:
    """The stylesheet of the reader's mode: the server picks it from the remembered cookie, so
    the mode works without JavaScript and on every static page alike."""
    response = HttpResponse(_stylesheet(MODES[mode_from_request(request)]),
                            content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the site's Chinese 404 page (the same one nginx shows)."""
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the site's Chinese 500 page; a plain one if even that fails.

    When the database is what failed (down, failing over, unreachable), the answer is the
    site's 503 page from the published tree, with Retry-After: a maintenance state, not a
    fault of the page, and one that needs nothing from the database to show.
    """
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = published_error(request, 503)
        response["Retry-After"] = "30"
        return response
    try:
        return error_response(request, 500)
    except Exception:  # the database may be what failed
        logger.exception("rendering the 500 page failed")
        return plain_error(500)


def switch_mode(request: HttpRequest, mode: str) -> HttpResponse:
    """Remember the chosen mode for a year and go back to the page the reader was on."""
    if mode not in MODES:
        mode = "standard"
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(MODE_COOKIE, mode, max_age=COOKIE_MAX_AGE, samesite="Lax",
                        httponly=True, secure=request.is_secure())
    return response
