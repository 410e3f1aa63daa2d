"""The admin casework: register, consult, extend with a second person, reply with a file,
the annual report page, statistics exports and the dashboard panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govsites import testing

from .. import reports
from ..models import DisclosureRequest
from .factories import ID_NUMBER, make_body, make_staff, registered

D = dt.date
REGISTER = {
    "channel": "in_person", "received_on": "2026-09-29", "applicant_type": "natural_person",
    "organisation_subtype": "", "name": "张三", "id_type": "resident_id",
    "id_number": ID_NUMBER, "contact_person": "", "phone": "13912345678", "email": "",
    "address": "", "postcode": "", "description": "2026年招生计划", "document_number": "",
    "delivery_form": "electronic", "delivery_method": "download", "confirm": "on",
}


@pytest.fixture
def admins(db: Any, django_user_model: Any) -> Any:
    body = make_body()
    chief = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    head = django_user_model.objects.create_superuser(
        "head", password="Head@2026xx", real_name="主任", mobile="13900000002")
    return body, chief, head


def _step(client: Any, case: DisclosureRequest, step: str, **data: Any) -> str:
    response = client.post(f"/admin/disclosure/requests/{case.pk}/", {"step": step, **data},
                           follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_register_consult_extend_and_reply_through_the_admin(
        client: Any, admins: Any) -> None:
    body, chief, head = admins
    testing.login_verified(client, chief)
    response = client.post("/admin/disclosure/requests/register/", {**REGISTER,
                                                                    "body": body.pk})
    assert response.status_code == 302
    case = DisclosureRequest.objects.get()
    page = client.get(f"/admin/disclosure/requests/{case.pk}/").content.decode()
    assert "张三" in page and ID_NUMBER in page  # staff see the decrypted applicant
    assert "居民身份证" in page and "resident_id" not in page
    assert "2026-11-02" in page
    _step(client, case, "consult", on="2026-10-09", kind="third_party", party="某民办学校",
          note="")
    _step(client, case, "consulted", on="2026-10-16", note="第三方同意公开", outcome="agreed")
    refused = _step(client, case, "extend", on="2026-10-20", days="10", note="材料较多")
    assert "承办人本人不能批准" in refused
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 0
    assert case.pauses.get().outcome == "agreed"
    testing.login_verified(client, head)
    _step(client, case, "extend", on="2026-10-20", days="10", note="材料较多")
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 10
    upload = SimpleUploadedFile("plan.txt", "招生计划".encode())
    done = _step(client, case, "reply", on="2026-11-05", result="partial",
                 note="部分公开，个人信息不予公开。", document=upload)
    assert "已答复并生成告知书" in done
    assert "征求意见结束" in done and ">reply<" not in done  # the history in Chinese
    case.refresh_from_db()
    assert (case.state, case.result) == ("replied", "partial")
    pdf = client.get(f"/admin/disclosure/requests/{case.pk}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listing = client.get("/admin/disclosure/requests/").content.decode()
    assert case.reference in listing and "张三" not in listing


def test_an_invalid_step_changes_nothing_and_says_why(client: Any, admins: Any) -> None:
    body, chief, _head = admins
    case = registered(body, chief, D(2026, 9, 29))
    testing.login_verified(client, chief)
    page = _step(client, case, "consult", on="2026-10-09", kind="third_party", party="",
                 note="")
    assert "征求意见（暂停计时）未完成" in page
    assert DisclosureRequest.objects.get(pk=case.pk).state == "accepted"


def test_staff_of_another_organisation_cannot_open_the_case(client: Any, admins: Any) -> None:
    body, chief, _head = admins
    case = registered(body, chief, D(2026, 9, 29))
    other = make_body(testing.make_organisation("示例市卫生健康委员会", kind="department"))
    outsider = make_staff(other, "outsider")
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    testing.login_verified(client, outsider)
    assert client.get(f"/admin/disclosure/requests/{case.pk}/").status_code == 404


def test_the_report_page_saves_figures_publishes_and_exports(client: Any, admins: Any) -> None:
    body, chief, _head = admins
    case = registered(body, chief, D(2026, 3, 2))
    from .. import services

    services.reply(request=case, acting_user=chief, result="disclosed", reply_text="公开",
                   on=D(2026, 3, 9))
    testing.login_verified(client, chief)
    response = client.post("/admin/disclosure/reports/", {"body": body.pk, "year": "2026"})
    report = reports.draft_report(body=body, year=2026, acting_user=None)
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/")
    client.post(f"/admin/disclosure/reports/{report.pk}/", {
        "overview": "全年受理申请1件。", "problems": "", "other_matters": "",
        "fig_licensing": "7", "review_upheld": "1"})
    report.refresh_from_db()
    assert report.manual_figures["licensing"] == 7
    assert report.manual_figures["review"]["upheld"] == 1
    client.post(f"/admin/disclosure/reports/{report.pk}/", {"publish": "1"})
    report.refresh_from_db()
    assert report.published_at is not None
    pdf = client.get(f"/admin/disclosure/reports/{report.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_statistics_export_csv_and_xlsx_and_the_dashboard_shows_the_panel(
        client: Any, admins: Any) -> None:
    body, chief, _head = admins
    registered(body, chief, D(2026, 9, 29))
    testing.login_verified(client, chief)
    csv_text = client.get("/admin/disclosure/statistics/?format=csv").content.decode("utf-8-sig")
    assert "已受理,1" in csv_text and "自然人,1" in csv_text
    xlsx = client.get("/admin/disclosure/statistics/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    home = client.get("/admin/").content.decode()
    assert "disclosure-panel-title" in home and "超过答复期限未办结：1 件" in home
    assert "/admin/disclosure/reports/" in home  # the 信息公开 menu (labels are JSON-escaped)


def test_a_colleague_is_named_handler_and_the_former_handler_may_then_approve_an_extension(
        client: Any, admins: Any) -> None:
    body, chief, _head = admins
    clerk = make_staff(body, "clerk")
    case = registered(body, chief, D(2026, 9, 29))
    testing.login_verified(client, chief)
    page = _step(client, case, "assign", handler=str(clerk.pk))
    assert "已指定承办人" in page
    assert DisclosureRequest.objects.get(pk=case.pk).handler == clerk
    _step(client, case, "extend", on="2026-10-20", days="3", note="材料较多")
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 3
