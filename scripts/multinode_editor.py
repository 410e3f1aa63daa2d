"""An editor in the admin over HTTP, for the multi-node test (scripts/multinode.py).

It logs in through nginx like a browser (the login form, its CSRF token, the session cookie),
opens an item's edit form, and saves drafts by sending the form back with a new title, as the
"保存草稿" button does. A save is acknowledged when the admin answers with its redirect back to
the edit form; anything else (a 502 while a node dies, a connection reset) is not, and the
editor sends it again.
"""

from __future__ import annotations

from typing import Any

import httpx
from bs4 import BeautifulSoup

EDITOR_USERNAME = "multinode_editor"
EDITOR_PASSWORD = "Multinode@2026gov"

CREATE_EDITOR = f"""
from django.contrib.auth.models import Group
from govsites.accounts.roles import Role, group_name
from govsites.accounts.services import create_user
from govsites.sites.models import SiteProfile
profile = SiteProfile.objects.get(site__hostname="localhost")
create_user(username={EDITOR_USERNAME!r}, password={EDITOR_PASSWORD!r}, real_name="多节点编辑",
            mobile="13800000097", organisation=profile.host_organisation, acting_user=None,
            groups=[Group.objects.get(name=group_name(Role.EDITOR))])
"""


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """The name/value pairs a browser would send for the form (buttons left out)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    if form is None:
        raise ValueError(f"no form #{form_id} in the page")
    fields: list[tuple[str, str]] = []
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            fields.append((name, element.text))
        elif element.name == "select":
            chosen = element.find_all("option", selected=True) or element.find_all("option")[:1]
            fields += [(name, str(option.get("value", option.text))) for option in chosen]
        elif element.get("type", "text") in ("submit", "button", "image", "file", "reset"):
            continue
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                fields.append((name, str(element.get("value", "on"))))
        else:
            fields.append((name, str(element.get("value", ""))))
    return fields


class Editor:
    """One editor's browser session against one address (an nginx node)."""

    def __init__(self, base_url: str, host: str = "localhost") -> None:
        self.client = httpx.Client(base_url=base_url, headers={"Host": host}, timeout=15,
                                   follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self.client.close()

    def login(self) -> None:
        page = self.client.get("/admin/login/")
        fields = dict(form_fields(page.text, "login-form") if 'id="login-form"' in page.text
                      else _first_form_fields(page.text))
        fields.update({"username": EDITOR_USERNAME, "password": EDITOR_PASSWORD})
        done = self.client.post("/admin/login/", data=fields,
                                headers={"Referer": str(self.client.base_url) + "/admin/login/"})
        if done.status_code != 302:
            raise RuntimeError(f"the editor could not log in ({done.status_code})")

    def edit_form(self, page_id: int) -> list[tuple[str, str]]:
        page = self.client.get(f"/admin/pages/{page_id}/edit/")
        if page.status_code != 200:
            raise RuntimeError(f"the edit form answered {page.status_code}")
        return form_fields(page.text, "page-edit-form")

    def current_title(self, page_id: int) -> str:
        """The title the edit form shows now (the latest draft, as the admin reads it)."""
        return dict(self.edit_form(page_id)).get("title", "")

    def save_draft(self, page_id: int, form: list[tuple[str, str]], title: str) -> bool:
        """Send the form with a new title; True when the admin acknowledged the save."""
        data = [(k, title if k == "title" else v) for k, v in form]
        try:
            answer = self.client.post(
                f"/admin/pages/{page_id}/edit/", data=_as_multi(data),
                headers={"Referer": f"{self.client.base_url}/admin/pages/{page_id}/edit/"})
        except httpx.TransportError:
            return False
        return (answer.status_code == 302
                and answer.headers.get("Location", "").endswith(f"/admin/pages/{page_id}/edit/"))


def _first_form_fields(html: str) -> list[tuple[str, str]]:
    form = BeautifulSoup(html, "html.parser").find("form", method=lambda m: (m or "").lower()
                                                   == "post")
    if form is None:
        raise ValueError("no login form in the page")
    form["id"] = "found"
    return form_fields(str(form), "found")


def _as_multi(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            data[key] = [*data[key], value] if isinstance(data[key], list) else [data[key], value]
        else:
            data[key] = value
    return data
