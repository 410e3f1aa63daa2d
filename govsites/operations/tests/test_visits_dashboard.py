"""The 访问统计 dashboard and its CSV export, scoped to the sites a user may see."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations.models import DailyPageViews, DailySiteVisits

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/operations/visits/"


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"].startswith("/admin/")


@pytest.fixture
def figures(portal, department_site):
    today = timezone.localdate()
    DailySiteVisits.objects.create(site=portal, day=today, page_views=120, unique_visitors=40,
                                   mobile_views=30, desktop_views=90)
    DailySiteVisits.objects.create(site=department_site, day=today, page_views=7,
                                   unique_visitors=3, desktop_views=7)
    DailyPageViews.objects.create(site=department_site, day=today, path="/jyxw/", views=7)
    return portal, department_site


def test_a_platform_administrator_sees_the_cluster_and_each_site(figures, superuser_client):
    portal, dept = figures
    page = superuser_client.get(URL).content.decode()
    assert "全部网站（站群）" in page and ">127<" in page and portal.name in page
    page = superuser_client.get(URL, {"site": dept.pk}).content.decode()
    assert "/jyxw/" in page and ">7<" in page


def test_a_department_site_administrator_sees_only_their_own_site(figures):
    portal, dept = figures
    client = client_for(make_user(dept.host_organisation, Role.SITE_ADMIN))
    page = client.get(URL).content.decode()
    assert "全部网站（站群）" not in page and "/jyxw/" in page
    assert refused(client.get(URL, {"site": portal.pk}))


def test_an_editor_without_an_operations_role_is_refused(figures):
    client = client_for(make_user(figures[1].host_organisation, Role.EDITOR))
    assert refused(client.get(URL))


def test_the_csv_export_has_one_row_per_site_and_day(figures, superuser_client):
    response = superuser_client.get("/admin/operations/visits.csv", {"days": "7"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["网站", "日期", "浏览量", "独立访客"]
    assert sorted((r[0], r[2]) for r in rows[1:]) == sorted(
        [(figures[0].name, "120"), (figures[1].name, "7")])
