"""Queries per page render, for each page type: the count does not grow with the number of
items, columns or reprints, and the site's registry record is read once per render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govsites import testing
from govsites.content.models import InterpretationPage, ServiceGuidePage
from govsites.content.services import publish_item, reprint_item, unique_child_slug

pytestmark = pytest.mark.django_db

PROFILE_TABLE = "govsites_sites_siteprofile"


def _render(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, url
    assert response.get("X-Govsites-Static") is None  # rendered by Django, not a file
    return [q["sql"] for q in queries.captured_queries]


def _profile_reads(sql: list[str]) -> int:
    return sum(f'FROM "{PROFILE_TABLE}"' in q for q in sql)


def _interpretation(column: Any, policy: Any, title: str) -> Any:
    item = InterpretationPage(title=title, slug=unique_child_slug(column, title),
                              body="<p>解读。</p>", policy=policy, live=False)
    column.add_child(instance=item)
    publish_item(item=item, acting_user=None)
    return item


def _guide(column: Any, title: str) -> Any:
    from govsites.content.models.pages import SERVICE_GUIDE_ELEMENTS

    fields = {name: f"{label}内容" for name, label in SERVICE_GUIDE_ELEMENTS}
    item = ServiceGuidePage(title=title, slug=unique_child_slug(column, title),
                            body="<p>指南。</p>", live=False, **fields)
    column.add_child(instance=item)
    publish_item(item=item, acting_user=None)
    return item


@pytest.fixture
def cluster(portal: Any, portal_home: Any, news_column: Any, policy_column: Any,
            department_site: Any) -> dict[str, Any]:
    dept_column = testing.make_column(department_site.site.root_page, title="转载区")
    policy = testing.make_policy(policy_column, title="关于印发办法的通知")
    guides = testing.make_column(portal_home, title="办事指南", column_type="办事服务")
    return {"home": portal_home, "news": news_column, "policies": policy_column,
            "dept_column": dept_column, "policy": policy, "guides": guides, "n": 0}


def _grow(cluster: dict[str, Any], times: int) -> None:
    """Add items of every type, reprints and a column: what must not add queries."""
    for _ in range(times):
        cluster["n"] += 1
        n = cluster["n"]
        article = testing.make_article(cluster["news"], title=f"新闻{n}")
        reprint_item(item=article, column=cluster["dept_column"], acting_user=None)
        testing.make_policy(cluster["policies"], title=f"文件{n}",
                            document_number=f"示政办发〔2026〕{100 + n}号")
        _interpretation(cluster["policies"], cluster["policy"], f"解读{n}")
        _guide(cluster["guides"], f"指南{n}")
        column = testing.make_column(cluster["home"], title=f"栏目{n}")
        testing.make_article(column, title=f"栏目{n}的新闻")


PAGES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "home page": lambda c: c["home"],
    "column page": lambda c: c["news"],
    "article page": lambda c: c["news"].get_children().live().last().specific,
    "policy document page": lambda c: c["policy"],
    "interpretation page": lambda c: c["policies"].get_children().type(
        InterpretationPage).live().last().specific,
    "service guide page": lambda c: c["guides"].get_children().live().last().specific,
}


@pytest.fixture
def caches_without_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the time-bounded caches (the registered host names, the site chrome, a site's
    operating state) until a change drops them: the test compares renders a minute or more
    apart on a loaded machine, and an entry expiring between the two is not a query the number
    of items added."""
    monkeypatch.setattr("govsites.config.hosts.CACHE_SECONDS", None)
    monkeypatch.setattr("govsites.content.chrome.CHROME_SECONDS", None)
    monkeypatch.setattr("govsites.operations.lifecycle.STATE_TTL_SECONDS", float("inf"))


@pytest.mark.parametrize("page_type", sorted(PAGES))
def test_a_page_render_costs_the_same_queries_for_few_and_many_items(
        client: Client, cluster: dict[str, Any], page_type: str,
        caches_without_expiry: None) -> None:
    _grow(cluster, 1)
    url = PAGES[page_type](cluster).url
    _render(client, url)  # the first request fills the caches every later one finds
    few = _render(client, url)
    _grow(cluster, 3)
    url = PAGES[page_type](cluster).url
    _render(client, url)
    many = _render(client, url)
    assert len(many) == len(few), "\n".join(many)
    assert _profile_reads(many) <= 1, [q for q in many if PROFILE_TABLE in q]
