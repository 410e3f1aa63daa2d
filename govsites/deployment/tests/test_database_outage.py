"""When the database is down, visitors get the site's 503 page from the published tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError

from govsites import testing
from govsites.config import hosts
from govsites.publishing.services import rebuild_sites

pytestmark = pytest.mark.django_db


def _database_down(monkeypatch: Any) -> None:
    from wagtail.models import Site

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(hosts, "_load_registered_hosts", refuse)
    monkeypatch.setattr(Site, "find_for_request", refuse)
    hosts.forget_registered_hosts()


def test_a_dynamic_path_answers_the_sites_503_page_in_its_furniture(
        client: Any, monkeypatch: Any, publish_root: Path) -> None:
    testing.make_site()
    rebuild_sites(acting_user=None)
    assert (publish_root / "localhost" / "503.html").is_file()
    _database_down(monkeypatch)
    client.raise_request_exception = False
    response = client.get("/search/?q=通知", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "网站正在维护" in text and "示例市人民政府" in text
    hant = client.get("/zh-hant/search/?q=通知", HTTP_HOST="localhost")
    assert hant.status_code == 503 and "網站正在維護" in hant.content.decode()


def test_a_host_with_no_published_tree_gets_the_plain_503_page(
        client: Any, monkeypatch: Any, settings: Any) -> None:
    testing.make_site()
    settings.GOVSITES_EXTRA_HOSTS = [*settings.GOVSITES_EXTRA_HOSTS, "admin.example"]
    _database_down(monkeypatch)
    client.raise_request_exception = False
    response = client.get("/search/", HTTP_HOST="admin.example")
    assert response.status_code == 503 and "网站正在维护" in response.content.decode()


def test_with_the_database_down_a_published_site_is_still_a_known_host(
        monkeypatch: Any, publish_root: Path) -> None:
    (publish_root / "www.shili.gov.cn").mkdir(parents=True)
    _database_down(monkeypatch)
    assert hosts.host_allowed("www.shili.gov.cn")
    assert not hosts.host_allowed("attacker.example")


def test_other_server_errors_keep_the_500_page(client: Any, monkeypatch: Any) -> None:
    from govsites.search import views

    testing.make_site()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "search_page", broken, raising=False)
    client.raise_request_exception = False
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="govsites.deployment.tests.broken_urls"):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert "网站暂时出现故障" in response.content.decode()
