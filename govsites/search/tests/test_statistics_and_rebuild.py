"""Search statistics in the admin (no personal data) and `govsites search rebuild`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from govsites.search import services
from govsites.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_the_statistics_page_shows_top_and_zero_result_queries(superuser_client: Any,
                                                               portal: Any) -> None:
    services.record_search(site_id=portal.site.pk, query="政务公开", total=3)
    services.record_search(site_id=portal.site.pk, query="政务公开", total=3)
    services.record_click(site_id=portal.site.pk, query="政务公开")
    services.record_search(site_id=None, query="火星基地", total=0)
    response = superuser_client.get("/admin/search/statistics/", {"days": "7"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "政务公开" in html and "火星基地" in html and "0.50" in html


def test_an_editor_without_the_permission_cannot_see_statistics(client: Any,
                                                                django_user_model: Any) -> None:
    from govsites import testing

    user = django_user_model.objects.create_user("editor1", password="Editor@2026x",
                                                 real_name="编辑", mobile="13900000001")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    testing.login_verified(client, user)
    assert client.get("/admin/search/statistics/").status_code in (302, 403)


def test_the_rebuild_command_reports_progress_and_restores_the_index(
        library: dict[str, Any]) -> None:
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("search", "rebuild", stdout=out)
    assert SearchDocument.objects.count() == 4
    assert "已索引 4 条" in out.getvalue()


def test_the_rebuild_command_can_rebuild_one_site(library: dict[str, Any],
                                                  department_site: Any) -> None:
    SearchDocument.objects.all().delete()
    call_command("search", "rebuild", "--site", department_site.site_code, "--no-progress",
                 stdout=io.StringIO())
    assert list(SearchDocument.objects.values_list("title", flat=True)) == [
        "全市中小学开学工作部署会召开"]


def test_the_rebuild_command_refuses_an_unknown_site(portal: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有网站"):
        call_command("search", "rebuild", "--site", "nowhere.example", stdout=io.StringIO())
