"""The demo's 政府信息公开: the 教育局 story of the issue's "done when", on one demo load."""


import pytest
from django.utils import timezone

from govsites.accounts.models import User
from govsites.content.models import ContentItem
from govsites.disclosure import reports, services
from govsites.disclosure.models import DisclosureBody, DisclosureRequest

pytestmark = pytest.mark.xdist_group("demo")


def test_a_citizen_request_to_the_demo_education_bureau_runs_to_a_partial_reply_in_the_report(
        demo, client):
    edu = DisclosureBody.objects.get(organisation__name="示例市教育局")
    form = {"applicant_type": "natural_person", "name": "林某", "id_type": "resident_id",
            "id_number": "11010519491231002X", "phone": "13700000000",
            "description": "2026年学区划分方案", "delivery_form": "electronic",
            "delivery_method": "email", "confirm": "on"}
    response = client.post(f"/disclosure/{edu.pk}/apply/", form, HTTP_HOST="jyj.localhost")
    assert response.status_code == 200
    case = DisclosureRequest.objects.filter(body=edu).latest("pk")
    clerk, deputy = User.objects.get(username="jyj_editor"), User.objects.get(
        username="jyj_deputy")
    today = timezone.localdate()  # an online request is received the day the office confirms
    services.confirm_receipt(request=case, acting_user=clerk, on=today)
    services.start_consultation(request=case, acting_user=clerk, kind="third_party",
                                party="示例市某学校", on=today)
    services.end_consultation(request=case, acting_user=clerk, on=today)
    services.extend(request=case, acting_user=deputy, days=5, reason="需核对学区数据", on=today)
    case = services.reply(request=case, acting_user=clerk, result="partial",
                          reply_text="学区划分方案予以公开；涉及个人住址的附表不予公开。", on=today)
    assert case.notice_text and case.extension_approved_by == deputy
    report = reports.draft_report(body=edu, year=today.year, acting_user=None)
    table = reports.table_three(edu, today.year)
    assert table.identity_holds
    partial_row = next(r for r in table.rows if r.label.startswith("（二）部分公开"))
    # this reply, plus the demo's own 部分公开 of 2026 when the year is 2026
    assert partial_row.total == (2 if today.year == 2026 else 1)
    assert reports.render_pdf(report).startswith(b"%PDF")
    reports.publish_report(report=report, acting_user=clerk)
    item = ContentItem.objects.live().get(title=f"示例市教育局{today.year}年政府信息公开工作年度报告")
    assert item.get_parent().specific.column_type == "信息公开年报"
    page = client.get(f"/disclosure/{edu.pk}/catalogue/", HTTP_HOST="jyj.localhost")
    assert page.status_code == 200 and "/2026-" in page.content.decode()
