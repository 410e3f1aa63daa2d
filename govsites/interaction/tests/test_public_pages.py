"""The public's pages: writing with CAPTCHA and rate limit, following, the listing, statistics, 找错."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from govsites.interaction import services
from govsites.interaction.captcha import SESSION_KEY, _digest
from govsites.interaction.models import Enquiry, ErrorReport

from .conftest import write

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "localhost"}


@pytest.fixture(autouse=True)
def _empty_rate_window() -> None:
    cache.clear()


def _answer_captcha(client: Any) -> None:
    session = client.session
    session[SESSION_KEY] = {"digest": _digest("7"), "expires": 4102444800}
    session.save()


FORM = {"kind": "consult", "subject": "咨询公交线路", "content": "请问10路公交何时恢复？",
        "name": "李华", "mobile": "13955556666", "email": "", "publish_allowed": "on",
        "captcha": "7"}


def test_a_citizen_writes_to_the_mayors_mailbox_and_gets_a_query_code(
        mailbox: Any, client: Any) -> None:
    page = client.get("/interact/mailbox/mayor/", **HOST)
    assert page.status_code == 200 and "市长信箱" in page.content.decode()
    assert "等于几" in page.content.decode()
    _answer_captcha(client)
    response = client.post("/interact/mailbox/mayor/", FORM, **HOST)
    html = response.content.decode()
    enquiry = Enquiry.objects.get()
    assert response.status_code == 200 and enquiry.query_code in html and "查询密码" in html
    assert "13955556666" not in html


def test_a_wrong_captcha_answer_saves_nothing(mailbox: Any, client: Any,
                                             monkeypatch: Any) -> None:
    # the next question drawn is 一加一 (2), so the old answer 7 cannot be right by chance
    monkeypatch.setattr("govsites.interaction.captcha.secrets.randbelow", lambda n: 0)
    _answer_captcha(client)
    response = client.post("/interact/mailbox/mayor/", {**FORM, "captcha": "8"}, **HOST)
    assert response.status_code == 400 and "验证问题回答不正确" in response.content.decode()
    assert not Enquiry.objects.exists()
    # the question was spent: the right answer to the old question no longer works
    response = client.post("/interact/mailbox/mayor/", FORM, **HOST)
    assert response.status_code == 400 and not Enquiry.objects.exists()


def test_submissions_from_one_client_are_rate_limited_by_rule_data(
        mailbox: Any, client: Any, portal: Any) -> None:
    from govsites.rules.services import set_override

    from .test_enquiry_deadlines import _platform_admin

    set_override(key="interaction.submissions_per_minute", value=2, site=portal,
                 reason="测试", acting_user=_platform_admin(portal))
    for _ in range(2):
        _answer_captcha(client)
        assert client.post("/interact/mailbox/mayor/", FORM, **HOST).status_code == 200
    _answer_captcha(client)
    response = client.post("/interact/mailbox/mayor/", FORM, **HOST)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Enquiry.objects.count() == 2


def test_the_writer_follows_the_message_with_code_and_password(mailbox: Any, client: Any) -> None:
    submitted = write(mailbox)
    wrong = client.post("/interact/follow/", {"query_code": submitted.query_code,
                                              "password": "WRONG123"}, **HOST)
    assert wrong.status_code == 400 and "查询码或密码不正确" in wrong.content.decode()
    response = client.post("/interact/follow/", {"query_code": submitted.query_code,
                                                 "password": submitted.password},
                           follow=True, **HOST)
    html = response.content.decode()
    assert submitted.enquiry.subject in html and "待受理" in html


def test_the_published_reply_shows_dates_department_and_no_personal_data(
        mailbox: Any, client: Any, clerk: Any, approver: Any, education: Any) -> None:
    enquiry = write(mailbox, content="我是王小明，电话13812345678，身份证110101199003070011。").enquiry
    services.release_enquiry(enquiry=enquiry, acting_user=clerk)
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.transfer_enquiry(enquiry=enquiry, acting_user=clerk, to_organisation=education)
    from govsites.accounts.roles import Role

    from .conftest import make_user

    edu_clerk, edu_head = make_user(education, Role.EDITOR), make_user(education, Role.HEAD)
    reply = services.draft_reply(enquiry=enquiry, acting_user=edu_clerk, body="已安排学位。")
    services.approve_reply(reply=reply, acting_user=edu_head)
    listing = client.get("/interact/replies/", **HOST).content.decode()
    assert enquiry.subject in listing
    html = client.get(f"/interact/replies/{enquiry.pk}/", **HOST).content.decode()
    for label in ("受理日期", "答复日期", "答复部门", "答复内容", "示例市教育局", "已安排学位",
                  "个工作日"):
        assert label in html
    for secret in ("13812345678", "110101199003070011", "wang@example.com"):
        assert secret not in html and secret not in listing


def test_a_message_without_consent_to_publish_is_not_listed(mailbox: Any, client: Any,
                                                          clerk: Any, approver: Any) -> None:
    enquiry = write(mailbox, publish_allowed=False).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(enquiry=enquiry, acting_user=clerk,
                                                      body="答复。"), acting_user=approver)
    assert client.get(f"/interact/replies/{enquiry.pk}/", **HOST).status_code == 404
    assert enquiry.subject not in client.get("/interact/replies/", **HOST).content.decode()


def test_the_statistics_page_counts_the_messages(mailbox: Any, client: Any) -> None:
    write(mailbox)
    html = client.get("/interact/statistics/", **HOST).content.decode()
    assert "全年收到 1 件" in html and "<svg" in html


def test_the_pages_answer_in_traditional_characters_too(mailbox: Any, client: Any) -> None:
    html = client.get("/zh-hant/interact/", **HOST).content.decode()
    assert "政民互動" in html and 'lang="zh-Hant"' in html


def test_an_error_report_is_received_with_the_page_prefilled(portal: Any, client: Any) -> None:
    page = client.get("/interact/error-report/", {"url": "http://localhost/xxgk/"}, **HOST)
    assert 'value="http://localhost/xxgk/"' in page.content.decode()
    _answer_captcha(client)
    response = client.post("/interact/error-report/", {
        "page_url": "http://localhost/xxgk/", "error_type": "typo", "description": "错字",
        "contact": "", "captcha": "7"}, **HOST)
    report = ErrorReport.objects.get()
    assert response.status_code == 200 and report.query_code in response.content.decode()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_attachment_is_sealed_and_only_staff_download_it(mailbox: Any, client: Any,
                                                           clerk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from govsites import testing

    _answer_captcha(client)
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    response = client.post("/interact/mailbox/mayor/", {**FORM, "attachments": upload}, **HOST)
    assert response.status_code == 200
    attachment = Enquiry.objects.get().attachments.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_data FROM govsites_interaction_enquiryattachment")
        assert PNG not in bytes(cursor.fetchone()[0])
    staff = testing.login_verified(client.__class__(), clerk)
    url = f"/admin/interaction/{attachment.enquiry_id}/attachment/{attachment.pk}/"
    download = staff.get(url)
    assert download.status_code == 200 and download.content == PNG
    assert client.get(url).status_code in (302, 404)


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_saved(
        mailbox: Any, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _answer_captcha(client)
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post("/interact/mailbox/mayor/", {**FORM, "attachments": fake}, **HOST)
    assert response.status_code == 400 and "不是 PDF、PNG 或 JPG 文件" in response.content.decode()
    assert not Enquiry.objects.exists()
