"""Who sees an unpublished item: the 资源库 is scoped like the page tree, and `/documents/ID/…`
serves a document that only unpublished items use to those who may see such an item."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from govsites import testing
from govsites.accounts.roles import Role, group_name
from govsites.content.models import ContentAttachment
from govsites.content.services import reprint_item

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def _user(organisation: Any, role: Role) -> Any:
    from govsites.accounts.services import create_user

    n = next(_numbers)
    return create_user(username=f"reader{n}", password="Zq7!mesa-Lk", real_name=f"读者{n}",
                       mobile=f"1360000{n:04d}", organisation=organisation, acting_user=None,
                       groups=[Group.objects.get(name=group_name(role))])


def _attach(item: Any, name: str) -> Any:
    document = get_document_model()(title=name)
    document.file.save(name, ContentFile(b"%PDF-1.4\n% test\n"), save=True)
    ContentAttachment.objects.create(item=item, document=document, title=name, sort_order=0)
    item.save_revision()  # the revision carries the attachment, as the editor's save does
    return document


@pytest.fixture
def dept_column(department_site: Any) -> Any:
    return testing.make_column(department_site.site.root_page, title="教育动态")


def test_the_library_shows_an_organisations_drafts_to_nobody_outside_it(
        client: Client, portal: Any, news_column: Any, department_site: Any,
        dept_column: Any) -> None:
    testing.make_article(news_column, title="市政府要闻")
    testing.make_article(news_column, title="市政府暂缓稿件", publish=False)
    testing.make_article(dept_column, title="教育局草稿", publish=False)

    editor = _user(department_site.host_organisation, Role.EDITOR)
    testing.login_verified(client, editor)
    html = client.get("/admin/library/").content.decode()
    assert "教育局草稿" in html and "市政府要闻" in html
    assert "市政府暂缓稿件" not in html

    supervisor = _user(portal.host_organisation, Role.SUPERVISOR)
    client.logout()
    testing.login_verified(client, supervisor)
    html = client.get("/admin/library/").content.decode()
    assert "教育局草稿" in html and "市政府暂缓稿件" in html


def test_a_document_of_an_unpublished_item_is_served_only_to_those_who_may_see_the_item(
        client: Client, portal: Any, news_column: Any, department_site: Any) -> None:
    item = testing.make_article(news_column, title="待审稿件", publish=False)
    document = _attach(item, "draft-notice.pdf")
    assert client.get(document.url).status_code == 404  # the public

    outsider = _user(department_site.host_organisation, Role.SITE_ADMIN)
    testing.login_verified(client, outsider)
    assert client.get(document.url).status_code == 404  # another organisation
    client.logout()

    colleague = _user(portal.host_organisation, Role.EDITOR)
    testing.login_verified(client, colleague)
    assert client.get(document.url).status_code == 200
    client.logout()

    item.get_latest_revision().publish()
    assert client.get(document.url).status_code == 200  # published: everybody


def test_a_document_of_a_held_import_is_not_public(client: Client, tmp_path: Any,
                                                   news_column: Any) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    from govsites.content.models import ContentItem

    (tmp_path / "notice.txt").write_text("内部传阅", encoding="utf-8")
    record = {"type": "article", "title": "暂缓的导入稿", "body": "正文", "hold": "待核实",
              "attachments": [{"path": "notice.txt", "title": "通知"}]}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    call_command("import", str(path), "--site", "www.shili.gov.cn", "--column", "工作动态",
                 stdout=StringIO())
    item = ContentItem.objects.get(title="暂缓的导入稿")
    document = item.attachments.get().document
    assert not item.live
    assert client.get(document.url).status_code == 404


def _library_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/library/").status_code == 200
    return len(queries)


def test_the_library_listing_costs_the_same_queries_for_few_and_many_items(
        superuser_client: Client, news_column: Any, policy_column: Any,
        dept_column: Any) -> None:
    def add(n: int) -> None:
        for i in range(n):
            item = testing.make_article(news_column, title=f"新闻{i}")
            reprint_item(item=item, column=dept_column, acting_user=None)
            testing.make_policy(policy_column, title=f"文件{i}-{n}",
                                document_number=f"示政办发〔2026〕{n * 10 + i}号")

    add(1)
    _library_queries(superuser_client)  # warm the caches a first request fills
    few = _library_queries(superuser_client)
    add(5)
    many = _library_queries(superuser_client)
    assert many == few
