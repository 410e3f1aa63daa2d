"""The chrome (masthead, menu, footer) of pages the application renders is rendered once per site
and generation, and any change to what it shows is on the next request (content/chrome.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsites import testing
from govsites.content.models import SiteFurniture

pytestmark = pytest.mark.django_db

HOST = "localhost"


def subscribe_page(client: Any, portal: Any) -> str:
    response = client.get(f"/_govsites/subscribe/?page={portal.site.root_page_id}",
                          HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_a_dynamic_page_reads_the_site_furniture_once_and_then_renders_the_cached_chrome(
        client: Any, portal: Any) -> None:
    first = subscribe_page(client, portal)
    with CaptureQueriesContext(connection) as queries:
        second = subscribe_page(client, portal)
    assert not [q for q in queries.captured_queries if "content_sitefurniture" in q["sql"]]
    assert first.count(portal.host_organisation.name) == second.count(
        portal.host_organisation.name) > 0
    assert "网站标识码" in second


def test_a_new_menu_column_and_a_renamed_site_show_on_the_next_dynamic_page(
        client: Any, portal: Any) -> None:
    before = subscribe_page(client, portal)
    assert "新设栏目" not in before
    testing.make_column(portal.site.root_page, title="新设栏目", column_type="工作动态")
    portal.address = "示例路99号新址"
    portal.save()
    after = subscribe_page(client, portal)
    assert "新设栏目" in after
    assert "示例路99号新址" in after


def test_a_党政机关网站标识_hung_in_the_furniture_shows_on_the_next_dynamic_page(
        client: Any, portal: Any) -> None:
    assert "bszs.conac.cn" not in subscribe_page(client, portal)
    furniture, _created = SiteFurniture.objects.get_or_create(site=portal.site)
    furniture.conac_mark = testing.make_image("党政机关网站标识")
    furniture.conac_url = "https://bszs.conac.cn/sitename?method=show&id=TEST"
    furniture.save()
    assert "bszs.conac.cn/sitename?method=show&amp;id=TEST" in subscribe_page(client, portal)


def test_each_site_keeps_its_own_chrome(client: Any, portal: Any, department_site: Any) -> None:
    portal_page = subscribe_page(client, portal)
    department_page = client.get(
        f"/_govsites/subscribe/?page={department_site.site.root_page_id}",
        HTTP_HOST=department_site.site.hostname).content.decode()
    assert department_site.name in department_page
    assert portal_page != department_page
