"""The public's pages: the application form, status lookup, 告知书, download, guide, 目录."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from govsites import testing

from .. import reports, services
from ..models import DisclosureRequest
from .factories import ID_NUMBER, make_body, make_staff, registered

FORM = {
    "applicant_type": "natural_person", "organisation_subtype": "", "name": "张三",
    "id_type": "resident_id", "id_number": ID_NUMBER, "contact_person": "",
    "phone": "13912345678", "email": "zhang@example.cn", "address": "", "postcode": "",
    "description": "2026年义务教育阶段学校招生计划", "document_number": "",
    "delivery_form": "electronic", "delivery_method": "download", "confirm": "on",
}


@pytest.fixture
def body(portal: Any) -> Any:
    cache.clear()  # the rate-limit window outlives a test
    return make_body(portal.host_organisation, office_name="示例市人民政府办公室")


def test_a_citizen_files_a_request_and_gets_a_number_and_query_code(client: Any,
                                                                    body: Any) -> None:
    response = client.post(f"/disclosure/{body.pk}/apply/", FORM)
    assert response.status_code == 200
    case = DisclosureRequest.objects.get()
    page = response.content.decode()
    assert case.reference in page and case.query_code in page
    assert case.state == "pending"
    assert ID_NUMBER not in page and "13912345678" not in page


def test_a_bad_form_shows_chinese_errors_and_files_nothing(client: Any, body: Any) -> None:
    response = client.post(f"/disclosure/{body.pk}/apply/",
                           {**FORM, "id_number": "110105194912310021"})
    assert response.status_code == 400 and "校验位" in response.content.decode()
    response = client.post(f"/disclosure/{body.pk}/apply/", {**FORM, "description": ""})
    assert response.status_code == 400
    assert "请填写所需政府信息的名称或描述" in response.content.decode()
    assert DisclosureRequest.objects.count() == 0


def test_too_many_submissions_from_one_address_are_refused_by_rule_data(
        client: Any, body: Any) -> None:
    from govsites.accounts.roles import Role
    from govsites.rules.services import set_override

    from .factories import make_staff

    set_override(key="disclosure.apply.rate_limit_per_minute", value=1, site=None, reason="测试",
                 acting_user=make_staff(body, "platform", Role.PLATFORM_ADMIN))
    assert client.post(f"/disclosure/{body.pk}/apply/", FORM).status_code == 200
    response = client.post(f"/disclosure/{body.pk}/apply/", FORM)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert DisclosureRequest.objects.count() == 1


def test_the_applicant_sees_the_status_notice_and_download_with_the_query_code_only(
        client: Any, body: Any) -> None:
    from wagtail.documents.models import Document

    clerk = make_staff(body, "clerk")
    case = registered(body, clerk, dt.date(2026, 9, 29), method="download")
    doc = Document(title="招生计划")
    doc.file.save("plan.txt", ContentFile("招生计划全文".encode()), save=True)
    case = services.reply(request=case, acting_user=clerk, result="disclosed",
                          reply_text="予以公开", on=dt.date(2026, 10, 9), document=doc)
    wrong = client.get("/disclosure/status/", {"reference": case.reference, "query_code": "x"})
    assert wrong.status_code == 404 and "予以公开" not in wrong.content.decode()
    page = client.get("/disclosure/status/", {"reference": case.reference,
                                              "query_code": case.query_code}).content.decode()
    assert "已答复" in page and "予以公开" in page and "张三" not in page
    pdf = client.get(f"/disclosure/status/{case.reference}/{case.query_code}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    got = client.get(f"/disclosure/download/{case.download_token}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == "招生计划全文".encode()
    DisclosureRequest.objects.filter(pk=case.pk).update(
        download_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(f"/disclosure/download/{case.download_token}/").status_code == 410


def test_the_guide_is_generated_from_the_bodys_office_data(client: Any, body: Any) -> None:
    page = client.get(f"/disclosure/{body.pk}/").content.decode()
    assert "示例市人民政府办公室" in page and "0753-2345678" in page
    assert "20个工作日" in page and "site-header" in page  # in the site's furniture


def test_the_catalogue_lists_the_bodys_items_with_index_number_and_filters_by_type(
        client: Any, body: Any, policy_column: Any, news_column: Any) -> None:
    policy = testing.make_policy(policy_column, title="关于规范校外培训的通知")
    testing.make_article(news_column, title="教育局召开工作会议")
    page = client.get(f"/disclosure/{body.pk}/catalogue/").content.decode()
    assert "关于规范校外培训的通知" in page and policy.index_no in page
    assert "教育局召开工作会议" in page
    only = client.get(f"/disclosure/{body.pk}/catalogue/",
                      {"type": "policydocumentpage"}).content.decode()
    assert "关于规范校外培训的通知" in only and "教育局召开工作会议" not in only
    assert client.get(f"/disclosure/{body.pk}/catalogue/", {"year": "x"}).status_code == 400


def test_a_published_report_is_public_and_a_draft_is_not(client: Any, body: Any) -> None:
    clerk = make_staff(body, "clerk")
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    assert client.get(f"/disclosure/{body.pk}/reports/2026/").status_code == 404
    reports.publish_report(report=report, acting_user=clerk)
    page = client.get(f"/disclosure/{body.pk}/reports/2026/").content.decode()
    assert "2026年政府信息公开工作年度报告" in page and "勾稽关系校验：通过" in page
    assert client.get(f"/disclosure/{body.pk}/reports/2026/report.pdf").status_code == 200
