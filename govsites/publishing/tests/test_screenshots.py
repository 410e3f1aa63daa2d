"""`make screenshots`: every public page type and error page in both reading modes, and every
admin screen type (the menu's pages, their forms and records, the monitoring screens, the edit
form of each page type)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from govsites import testing as builders
from govsites.publishing.admin_screens import (
    admin_session_key,
    linked_screens,
    menu_paths,
    page_type_edit_paths,
    screen_name,
)
from govsites.publishing.liveserver import chromium_driver, chromium_paths, live_app
from govsites.publishing.pagetypes import sample_pages
from govsites.publishing.screenshots import take, take_admin
from govsites.publishing.services import rebuild_sites
from govsites.testing.tools import require

MONITORING_MENU = {"/admin/monitoring_inspections/", "/admin/monitoring_tickets/",
                   "/admin/monitoring_probes/", "/admin/monitoring_alerts/"}


def test_the_admin_menu_is_read_from_the_page_monitoring_included_logout_left_out(
        superuser_client):
    paths = menu_paths(superuser_client.get("/admin/").content.decode())
    assert set(paths) >= MONITORING_MENU
    assert "/admin/logout/" not in paths
    assert len(paths) == len(set(paths))


def test_the_inspections_list_leads_to_the_start_an_inspection_form(superuser_client, portal):
    page = superuser_client.get("/admin/monitoring_inspections/").content.decode()
    assert "/admin/monitoring/inspections/start/" in linked_screens(page, seen_kinds=set())


def test_one_screen_per_kind_of_record_is_followed():
    page = ('<a href="/admin/topics/edit/1/">a</a><a href="/admin/topics/edit/2/">b</a>'
            '<a href="/admin/topics/add/">c</a><a href="/admin/topics/1/delete/">d</a>')
    seen: set[str] = set()
    assert linked_screens(page, seen_kinds=seen) == ["/admin/topics/edit/1/", "/admin/topics/add/"]
    assert linked_screens(page, seen_kinds=seen) == []


def test_screen_names_are_file_names():
    assert screen_name("/admin/monitoring/inspections/start/") == "admin-monitoring-inspections-start"
    assert screen_name("/admin/") == "admin"


def test_the_screenshot_session_opens_the_admin_as_a_superuser(client, superuser_client,
                                                              news_column):
    builders.make_article(news_column)
    key = admin_session_key()
    assert key
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get("/admin/", HTTP_HOST="localhost").status_code == 200
    models = {model for model, _path in page_type_edit_paths()}
    assert {"sitehomepage", "columnpage", "articlepage"} <= models


@pytest.mark.browser
@pytest.mark.django_db
def test_make_screenshots_covers_admin_screens_monitoring_and_error_pages(
        cluster, static_first, superuser_client, tmp_path):
    browser, driver_path = chromium_paths()
    require(browser is not None and driver_path is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    builders.make_article(cluster["news"], title="示例文章")
    rebuild_sites(acting_user=None)
    samples, _missing = sample_pages()
    out = tmp_path / "shots"
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        base = f"http://{address}"
        written = take(driver, base, samples, out) + take_admin(driver, base, out)
    names = {Path(p).name for p in written}
    for status in (404, 500, 503):
        assert {f"error_{status}-standard.png", f"error_{status}-care.png"} <= names
    assert {"home-standard.png", "home-care.png", "article-care.png"} <= names
    assert {"admin-login.png", "admin.png", "admin-monitoring_inspections.png",
            "admin-monitoring_tickets.png", "admin-monitoring_probes.png",
            "admin-monitoring_alerts.png", "admin-monitoring-inspections-start.png",
            "admin-page-edit-articlepage.png", "admin-page-edit-columnpage.png"} <= names
    assert all(Path(p).stat().st_size > 1000 for p in written)
