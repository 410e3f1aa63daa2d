"""The site's chrome (masthead, main navigation, footer) on pages the application renders.

Published pages are rendered by the publisher, which keeps its own per-run cache; the pages the
application serves itself (forms, listings, search, statistics) render the same chrome on every
request, and rendering it (furniture, image renditions, menu columns, 站群导航, footer links) was
most of such a page's cost. Here the rendered HTML of each part is kept per site in Django's
cache (Redis in production, shared by every node; the process memory in the embedded mode) under
a generation that any change to what the chrome shows replaces: a site, its profile or
furniture, an image, a first- or second-level page, a disclosure body. A change made in another
process of the embedded mode (the worker) reaches a cached part within CHROME_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from govsites.core import generations

GENERATION_KEY = "govsites:chrome:generation"
CHROME_SECONDS = 60
# Models whose rows the chrome shows (app labels, and single models by label).
CHROME_APPS = frozenset({"govsites_sites"})
CHROME_MODELS = frozenset({"wagtailcore.site", "wagtailimages.image", "content.sitefurniture",
                           "govsites_disclosure.disclosurebody"})
MENU_DEPTH = 3  # the root, a site's home page and its first-level columns


def generation() -> str:
    """The current generation (created on first use)."""
    return generations.current(GENERATION_KEY)


def forget() -> None:
    """Start a new generation: every cached part is rendered again on its next request."""
    generations.renew(GENERATION_KEY)


def cached(part: str, site_id: int, render: Callable[[], str]) -> str:
    """The rendered HTML of one part of a site's chrome, rendered by `render` when not cached."""
    key = f"govsites:chrome:{generation()}:{part}:{site_id}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, CHROME_SECONDS)
    return str(html)


def _changed(sender: Any, instance: Any = None, raw: bool = False, **kwargs: Any) -> None:
    from wagtail.models import Page

    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    if isinstance(instance, Page):
        if (instance.depth or 0) <= MENU_DEPTH:
            forget()
        return
    if meta.app_label in CHROME_APPS or meta.label_lower in CHROME_MODELS:
        forget()


def connect() -> None:
    """Connect the receivers (called from content.handlers.connect)."""
    post_save.connect(_changed, dispatch_uid="content.chrome.save")
    post_delete.connect(_changed, dispatch_uid="content.chrome.delete")
