"""The 政府信息公开目录 as a static page per body and site, and the footer's disclosure links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.publishing.paths import site_dir

from .. import services
from ..models import DisclosureCataloguePage
from .factories import make_body


@pytest.fixture(autouse=True)
def publish_root(settings: Any, tmp_path: Path) -> Path:
    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    settings.DATA_DIR = tmp_path
    return tmp_path / "published"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a block, then what its commits queued (the publisher, as the worker would)."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _file(site: Any, page: Any) -> str:
    return (site_dir(site.site.hostname) / testing.published_file(page)).read_text("utf-8")


@pytest.fixture
def catalogue(portal: Any, portal_home: Any, committed: Any) -> Any:
    body = make_body(portal.host_organisation, office_name="示例市人民政府办公室")
    column = testing.make_column(portal_home, title="政策文件", column_type="政策文件")
    policy = committed(testing.make_policy, column, title="关于印发示例市政务公开办法的通知",
                       written_date=dt.date(2026, 11, 20))
    page = committed(services.create_catalogue_page, body=body, parent=portal_home,
                     acting_user=None)
    return {"body": body, "column": column, "policy": policy, "page": page}


def test_the_catalogue_is_a_static_file_listing_items_by_topic_with_index_and_date(
        portal: Any, catalogue: Any) -> None:
    html = _file(portal, catalogue["page"])
    policy = catalogue["policy"]
    assert policy.index_no and policy.index_no in html
    assert "关于印发示例市政务公开办法的通知" in html
    assert "<caption>综合政务（1条）</caption>" in html
    assert "主动公开" in html
    assert '<time datetime="2026-11-20">' in html  # 生成日期: the policy's 成文日期


def test_publishing_an_item_of_the_body_rewrites_its_catalogue_file(
        portal: Any, catalogue: Any, committed: Any) -> None:
    assert "关于公布示例市权责清单的通知" not in _file(portal, catalogue["page"])
    committed(testing.make_policy, catalogue["column"], title="关于公布示例市权责清单的通知")
    assert "关于公布示例市权责清单的通知" in _file(portal, catalogue["page"])


def test_every_page_of_the_site_links_to_the_request_pages_and_the_catalogue(
        portal: Any, catalogue: Any) -> None:
    address = testing.public_address(catalogue["page"])
    for page in (portal.site.root_page, catalogue["policy"], catalogue["page"]):
        html = _file(portal, page)
        assert '<a href="/disclosure/">依申请公开</a>' in html
        assert f'<a href="{address}">政府信息公开目录</a>' in html


def test_a_site_without_a_disclosure_body_shows_no_disclosure_links(
        client: Any, department_site: Any) -> None:
    column = testing.make_column(department_site.site.root_page.specific, title="部门动态")
    article = testing.make_article(column, title="教育局工作动态")
    html = client.get(testing.public_address(article), HTTP_HOST="jyj.localhost").content
    assert "依申请公开".encode() not in html


def test_a_second_catalogue_for_the_same_body_on_the_same_site_is_refused(
        portal: Any, portal_home: Any, catalogue: Any) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError, match="已有本公开主体的政府信息公开目录"):
        services.create_catalogue_page(body=catalogue["body"], parent=portal_home,
                                       acting_user=None, slug="xxgkml2")
    assert DisclosureCataloguePage.objects.count() == 1
    assert AuditRecord.objects.count() == before


def test_a_catalogue_cannot_hang_under_an_item(portal: Any, catalogue: Any) -> None:
    with pytest.raises(ValidationError, match="只能建在网站首页或“信息公开目录”类栏目之下"):
        services.create_catalogue_page(body=catalogue["body"], parent=catalogue["policy"],
                                       acting_user=None)


def test_a_catalogue_page_goes_under_a_site_home_or_a_catalogue_column_only(
        portal: Any, portal_home: Any) -> None:
    """Allowing it under every column made a 工作动态 column offer two page types."""
    catalogue_column = testing.make_column(portal_home, title="信息公开目录",
                                           column_type="信息公开目录")
    news = testing.make_column(portal_home, title="工作动态", column_type="工作动态")
    assert DisclosureCataloguePage.can_create_at(portal_home)
    assert DisclosureCataloguePage.can_create_at(catalogue_column)
    assert not DisclosureCataloguePage.can_create_at(news)
    assert not DisclosureCataloguePage.can_create_at(news.page_ptr)


def test_finding_the_catalogues_of_a_published_item_reads_no_page_table_in_full(
        portal: Any, catalogue: Any) -> None:
    from govsites.testing.queryplans import scans_of_big_tables

    from ..handlers import catalogue_pages_showing

    if connection.vendor != "sqlite":
        pytest.skip("the query plans are SQLite's")
    with scans_of_big_tables() as scans:
        found = catalogue_pages_showing(catalogue["policy"])
    assert found == [catalogue["page"].pk]
    assert scans == []  # at 1,000,000 items a scan costs a second on every publication
    catalogue["page"].unpublish()
    assert catalogue_pages_showing(catalogue["policy"]) == []
