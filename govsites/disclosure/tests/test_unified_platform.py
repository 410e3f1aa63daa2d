"""DS-14 (条例第24条): the portal's unified 政府信息公开平台 searches every body's proactively
disclosed items (检索), links each to its page wherever it lies (查阅), and offers its
attachments and the result list for download (下载)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile

from govsites import testing

from .factories import make_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(portal: Any, department_site: Any) -> dict[str, Any]:
    from wagtail.documents.models import Document

    from govsites.content.models import ContentAttachment

    city = make_body(portal.host_organisation, office_name="示例市人民政府办公室")
    education = make_body(department_site.host_organisation)
    notices = testing.make_column(portal.site.root_page, title="通知公告", column_type="通知公告")
    policies = testing.make_column(department_site.site.root_page, title="政策文件",
                                   column_type="政策文件")
    notice = testing.make_article(notices, title="关于做好防汛工作的通知")
    policy = testing.make_policy(policies, title="示例市中小学招生入学工作实施办法",
                                 document_number="示教发〔2026〕7号")
    hidden = testing.make_article(notices, title="内部工作安排的通知", publish=False)
    doc = Document(title="招生入学实施办法全文")
    doc.file.save("zhaosheng.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    ContentAttachment.objects.create(item=policy, document=doc, title="实施办法全文（PDF）")
    return {"city": city, "education": education, "notice": notice, "policy": policy,
            "hidden": hidden, "document": doc}


def test_the_portals_platform_finds_every_bodys_disclosed_items(client: Any,
                                                               cluster: dict[str, Any]) -> None:
    page = client.get("/disclosure/platform/").content.decode()
    assert "关于做好防汛工作的通知" in page and "示例市中小学招生入学工作实施办法" in page
    assert "内部工作安排的通知" not in page  # not live
    assert "共 2 条" in page
    found = client.get("/disclosure/platform/", {"q": "招生入学"}).content.decode()
    assert "示例市中小学招生入学工作实施办法" in found and "防汛" not in found
    by_index = client.get("/disclosure/platform/",
                          {"q": cluster["policy"].index_no}).content.decode()
    assert "共 1 条" in by_index
    one_body = client.get("/disclosure/platform/",
                          {"body": cluster["city"].pk}).content.decode()
    assert "防汛" in one_body and "招生入学工作实施办法" not in one_body


def test_each_result_links_to_its_page_and_its_attachments(client: Any,
                                                           cluster: dict[str, Any]) -> None:
    page = client.get("/disclosure/platform/", {"q": "招生入学"}).content.decode()
    policy, doc = cluster["policy"], cluster["document"]
    assert f'href="{policy.url}"' in page and "jyj.localhost" in policy.url  # 查阅, on its site
    assert f'href="{doc.url}" download' in page and "实施办法全文（PDF）" in page  # 下载
    got = client.get(doc.url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"


def test_the_result_list_downloads_as_csv_with_the_same_filters(client: Any,
                                                                cluster: dict[str, Any]) -> None:
    response = client.get("/disclosure/platform/catalogue.csv", {"q": "招生入学"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["索引号", "名称", "发布机构", "生成日期", "地址"]
    assert [row[1] for row in rows[1:]] == ["示例市中小学招生入学工作实施办法"]
    assert rows[1][0] == cluster["policy"].index_no and rows[1][4] == cluster["policy"].full_url


def test_the_portals_disclosure_entry_offers_the_platform_and_bad_filters_are_refused(
        client: Any, cluster: dict[str, Any]) -> None:
    entry = client.get("/disclosure/").content.decode()
    assert 'action="/disclosure/platform/"' in entry and "进入政府信息公开平台" in entry
    assert client.get("/disclosure/platform/", {"year": "abc"}).status_code == 400
    assert client.get("/disclosure/platform/", {"body": "999999"}).status_code == 400
    assert client.get("/disclosure/platform/catalogue.csv", {"page": "x", "year": "y"}
                      ).status_code == 404
