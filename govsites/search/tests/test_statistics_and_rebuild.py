"""Search statistics in the admin (no personal data) and `govsites search rebuild`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

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


def _automerge(fts: str) -> int:
    """An FTS5 index's automerge setting (SQLite): its config row, else FTS5's default."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v FROM {fts}_config WHERE k = 'automerge'")
        row = cursor.fetchone()
    return int(row[0]) if row else services.FTS5_AUTOMERGE


def test_a_rebuild_writes_without_merging_then_restores_merging_and_finds_the_same(
        library: dict[str, Any]) -> None:
    from django.db import connection

    from govsites.search import selectors
    from govsites.search.engine import FTS_TABLE, FTS_TITLES

    before = [d.page_id for d in selectors.search("开学").results]
    assert before
    during: list[int] = []

    def progress(done: int, total: int) -> None:
        if connection.vendor == "sqlite":
            during.extend(_automerge(f) for f in (FTS_TABLE, FTS_TITLES))

    services.rebuild_index(acting_user=None, progress=progress)
    assert [d.page_id for d in selectors.search("开学").results] == before
    if connection.vendor == "sqlite":
        assert during and set(during) == {0}  # no merging while the rows are written
        after = {_automerge(f) for f in (FTS_TABLE, FTS_TITLES)}
        assert after == {services.FTS5_AUTOMERGE}  # restored for the publishing path


def test_a_rebuild_analysing_in_other_processes_writes_the_same_index(
        library: dict[str, Any]) -> None:
    columns = ("page_id", "title", "terms_title", "terms_ids", "terms_body")
    services.rebuild_index(acting_user=None, jobs=1)
    alone = list(SearchDocument.objects.order_by("page_id").values_list(*columns))
    SearchDocument.objects.all().delete()
    outcome = services.rebuild_index(acting_user=None, jobs=3)
    assert outcome["indexed"] == len(alone) == 4
    assert list(SearchDocument.objects.order_by("page_id").values_list(*columns)) == alone


def test_the_rebuild_command_refuses_fewer_than_one_job(portal: Any) -> None:
    with pytest.raises(CommandError, match="--jobs"):
        call_command("search", "rebuild", "--jobs", "0", stdout=io.StringIO())
