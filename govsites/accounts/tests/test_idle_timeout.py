"""The idle timeout counts only the person's own requests, not an open page's background pings."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from django.urls import reverse

from govsites import testing
from govsites.accounts.middleware import LAST_ACTIVITY_KEY
from govsites.accounts.roles import Role

from .conftest import make_user

pytestmark = pytest.mark.django_db


def _ping_url(client: Any, item: Any) -> str:
    """Open the item's edit page and return the address its editing-session module pings."""
    page = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
    assert page.status_code == 200
    match = re.search(r'data-w-swap-src-value="([^"]+)"', page.content.decode())
    assert match, "the edit page carries no editing-session ping"
    return html.unescape(match.group(1))


def _idle_for(client: Any, seconds: float) -> float:
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()
    return float(session[LAST_ACTIVITY_KEY])


def test_an_open_edit_pages_pings_do_not_keep_the_session_alive(
        client: Any, host_org: Any, news_column: Any, settings: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    item = testing.make_article(news_column, title="编辑中的文章")
    testing.login_verified(client, editor)
    ping = _ping_url(client, item)
    limit = settings.GOVSITES_SESSION_IDLE_MINUTES * 60
    stamp = _idle_for(client, limit - 60)
    for _ping in range(3):
        assert client.post(ping).status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] == stamp  # the clock did not move
    _idle_for(client, limit + 1)
    response = client.post(ping)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "_auth_user_id" not in client.session


def test_the_persons_own_request_restarts_the_idle_clock(
        client: Any, host_org: Any, settings: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    testing.login_verified(client, editor)
    stamp = _idle_for(client, settings.GOVSITES_SESSION_IDLE_MINUTES * 60 - 60)
    assert client.get("/admin/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] > stamp
