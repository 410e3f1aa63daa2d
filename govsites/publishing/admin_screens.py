"""Which admin screens `govsites screenshots` takes: the login page, every page of a platform
administrator's admin menu, the forms and detail screens those pages lead to (add, edit,
inspect, 立即检查, …) and the edit form of each page type.

The menu is read from the page itself (Wagtail's sidebar props), so a new menu entry is
photographed without a change here. Only GET addresses of forms and records are followed;
actions that change something are POST in Wagtail and in the platform's views.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from importlib import import_module
from typing import Any

SIDEBAR_PROPS = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S)
#: Links on a menu page that open another screen of the same kind of record: a form, a record,
#: a detail page, the start of an action.
SCREEN_LINK = re.compile(
    r'href="(/admin/[^"?#]*?/(?:add|edit/[^/"]+|inspect/[^/"]+|\d+|start)/)"')
#: Never followed, even though they are GET: they end the session or leave the admin.
NEVER = ("/admin/logout/",)
MAX_SCREENS_PER_MENU_PAGE = 4


@dataclass(frozen=True)
class AdminScreen:
    name: str
    path: str


def screen_name(path: str) -> str:
    """A file-name stem for an admin address: /admin/inspections/3/ → admin-inspections-3."""
    stem = re.sub(r"[^0-9A-Za-z_-]+", "-", path.strip("/")).strip("-")
    return stem or "admin"


def menu_paths(page_html: str) -> list[str]:
    """Return the admin addresses of the sidebar menu (submenus included), in menu order."""
    match = SIDEBAR_PROPS.search(page_html)
    if match is None:
        return []
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            url = node.get("url")
            if isinstance(url, str) and url.startswith("/admin/") and url not in NEVER \
                    and url not in found:
                found.append(url)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(match.group(1)))
    return found


def linked_screens(page_html: str, *, seen_kinds: set[str]) -> list[str]:
    """Return form and record addresses a menu page links to, one per kind of screen."""
    out: list[str] = []
    for link in SCREEN_LINK.findall(page_html):
        kind = re.sub(r"/\d+/", "/N/", re.sub(r"(edit|inspect)/[^/]+/", r"\1/N/", link))
        if kind in seen_kinds or link in NEVER:
            continue
        seen_kinds.add(kind)
        out.append(link)
        if len(out) >= MAX_SCREENS_PER_MENU_PAGE:
            break
    return out


def page_type_edit_paths() -> list[tuple[str, str]]:
    """Return (model name, edit address) for one page of each page type in the tree."""
    from wagtail.models import Page

    seen: dict[int, tuple[str, str]] = {}
    for page in Page.objects.filter(depth__gt=1).order_by("path").only("id", "content_type"):
        if page.content_type_id not in seen:
            model = page.content_type.model
            seen[page.content_type_id] = (model, f"/admin/pages/{page.pk}/edit/")
    return list(seen.values())


def admin_session_key() -> str | None:
    """Open a session for the first active superuser, second factor passed; return its key.

    The screenshots are taken on the operator's own machine and database (`make screenshots`);
    the session is an ordinary one and ends with the browser, as any login does.
    """
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    from govsites.accounts.middleware import LAST_ACTIVITY_KEY
    from govsites.accounts.totp import SESSION_VERIFIED_KEY

    user = get_user_model()._default_manager.filter(
        is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SESSION_VERIFIED_KEY] = True
    store[LAST_ACTIVITY_KEY] = int(time.time())
    store.save()
    return str(store.session_key)
