"""A request from the online form to its 告知书; identity data never leaves its ciphertext."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord

from .. import notices, selectors, services
from ..choices import REPLY_RESULTS
from ..models import DisclosureRequest, RequestEvent
from .factories import ID_NUMBER, applicant, content, make_body, make_staff, registered

D = dt.date


def _submitted_on(case: DisclosureRequest, day: dt.date) -> DisclosureRequest:
    """Move a filed request's submission back in time (the tests' clock is the calendar's)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    DisclosureRequest.objects.filter(pk=case.pk).update(submitted_at=moment)
    case.refresh_from_db()
    return case


def _document() -> Any:
    from wagtail.documents.models import Document

    doc = Document(title="招生计划")
    doc.file.save("plan.txt", ContentFile("招生计划".encode()), save=True)
    return doc


@pytest.fixture
def office(db: Any) -> Any:
    body = make_body()
    return body, make_staff(body, "clerk"), make_staff(body, "head", Role.HEAD)


def test_an_online_request_waits_for_confirmation_and_its_receipt_date_is_that_day(
        office: Any) -> None:
    body, clerk, _head = office
    case = services.submit_online_request(body=body, applicant_type="natural_person",
                                          applicant=applicant(), content=content())
    assert (case.state, case.received_on, case.deadline) == ("pending", None, None)
    assert case.reference.startswith("GK")
    case = _submitted_on(case, D(2026, 9, 28))
    with pytest.raises(ValidationError):  # not before it was filed
        services.confirm_receipt(request=case, acting_user=clerk, on=D(2026, 9, 27))
    case = services.confirm_receipt(request=case, acting_user=clerk, on=D(2026, 9, 29))
    assert (case.state, case.received_on) == ("accepted", D(2026, 9, 29))
    assert case.deadline == D(2026, 11, 2)
    assert case.handler == clerk


def test_a_bad_application_is_refused_with_chinese_reasons_and_nothing_is_saved(
        office: Any) -> None:
    body, _clerk, _head = office
    with pytest.raises(ValidationError) as error:
        services.submit_online_request(
            body=body, applicant_type="legal_person", organisation_subtype="",
            applicant=applicant(id_number="110105194912310021"),
            content=content(description=" "))
    messages = json.dumps(error.value.message_dict, ensure_ascii=False)
    assert "组织的类型" in messages and "所需政府信息" in messages
    with pytest.raises(ValidationError) as error:
        services.submit_online_request(body=body, applicant_type="natural_person",
                                       applicant=applicant(id_number="110105194912310021"),
                                       content=content())
    assert "校验位" in json.dumps(error.value.message_dict, ensure_ascii=False)
    assert DisclosureRequest.objects.count() == 0


def test_the_demo_story_accept_consult_extend_and_answer_partly_with_a_notice_pdf(
        office: Any, caplog: Any) -> None:
    body, clerk, head = office
    caplog.set_level(logging.DEBUG)
    case = services.submit_online_request(body=body, applicant_type="natural_person",
                                          applicant=applicant(email="zhang@example.cn"),
                                          content=content())
    case = _submitted_on(case, D(2026, 9, 28))
    case = services.confirm_receipt(request=case, acting_user=clerk, on=D(2026, 9, 29))
    case = services.start_consultation(request=case, acting_user=clerk, kind="third_party",
                                       party="某民办学校", on=D(2026, 10, 9))
    case = services.end_consultation(request=case, acting_user=clerk, on=D(2026, 10, 16))
    case = services.extend(request=case, acting_user=head, days=10, reason="涉及多所学校",
                           on=D(2026, 10, 20))
    case = services.reply(request=case, acting_user=clerk, result="partial",
                          reply_text="招生计划予以公开，涉及学生个人信息的部分不予公开。",
                          on=D(2026, 11, 5), document=_document())
    assert (case.state, case.result, case.closed_on) == ("replied", "partial", D(2026, 11, 5))
    assert case.download_token and case.download_expires_at is not None
    assert "政府信息部分公开告知书" in notices.render_html(case)
    assert "张三" in case.notice_text and ID_NUMBER not in case.notice_text
    pdf = notices.render_pdf(case)
    assert pdf.startswith(b"%PDF")
    steps = list(RequestEvent.objects.filter(request=case).values_list("action", flat=True))
    assert steps == ["submit", "confirm", "consult", "consulted", "extend", "reply"]
    trail = json.dumps(list(AuditRecord.objects.values()), ensure_ascii=False, default=str)
    events = json.dumps(list(RequestEvent.objects.values()), ensure_ascii=False, default=str)
    for secret in ("张三", ID_NUMBER, "13912345678", "zhang@example.cn"):
        assert secret not in trail
        assert secret not in events
        assert secret not in caplog.text
        assert secret not in case.identity_ciphertext


def test_an_answer_waits_for_the_consultation_to_end(office: Any) -> None:
    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 9, 29))
    services.start_consultation(request=case, acting_user=clerk, kind="third_party",
                                party="第三方", on=D(2026, 10, 9))
    with pytest.raises(services.TransitionRefused):
        services.reply(request=case, acting_user=clerk, result="disclosed", reply_text="公开",
                       on=D(2026, 10, 12))
    assert DisclosureRequest.objects.get(pk=case.pk).state == "third_party"


def test_a_download_reply_needs_the_information_attached(office: Any) -> None:
    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 9, 29), method="download")
    with pytest.raises(ValidationError):
        services.reply(request=case, acting_user=clerk, result="disclosed", reply_text="公开",
                       on=D(2026, 10, 12))
    assert DisclosureRequest.objects.get(pk=case.pk).state == "accepted"


@pytest.mark.parametrize("result", [r.value for r in REPLY_RESULTS])
def test_every_reply_type_gets_a_notice_with_its_own_title(office: Any, result: str) -> None:
    body, clerk, _head = office
    case = registered(body, clerk, D(2026, 9, 29))
    case = services.reply(request=case, acting_user=clerk, result=result, reply_text="答复理由",
                          on=D(2026, 10, 12))
    title, _text = notices.template_for(case)
    assert title in notices.render_html(case)
    assert "答复理由" in case.notice_text


def test_staff_of_another_body_cannot_touch_a_case(office: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from govsites import testing

    body, clerk, _head = office
    other = make_body(testing.make_organisation("示例市卫生健康委员会", kind="department"))
    outsider = make_staff(other, "outsider")
    case = registered(body, clerk, D(2026, 9, 29))
    with pytest.raises(PermissionDenied):
        services.reply(request=case, acting_user=outsider, result="disclosed", reply_text="x",
                       on=D(2026, 10, 9))


def test_repeated_requests_for_the_same_document_suggest_proactive_disclosure(
        office: Any) -> None:
    body, clerk, _head = office
    people = (("张三", ID_NUMBER), ("李四", "110105194912310038"), ("王五", "110105194912310046"))
    cases = []
    for name, number in people:
        cases.append(services.register_request(
            body=body, acting_user=clerk, channel="registered_post", received_on=D(2026, 9, 30),
            applicant_type="natural_person", applicant=applicant(name=name, id_number=number),
            content=content(description=f"{name}要的招生办法",
                            document_number="示教发[2026]3号" if name != "王五"
                            else "示教发〔2026〕3号")))
        if len(cases) == 2:
            assert selectors.repeated_subject_count(cases[-1]) == (2, False)
    assert selectors.repeated_subject_count(cases[-1]) == (3, True)
    unrelated = registered(body, clerk, D(2026, 9, 30), description="另一份文件")
    assert selectors.repeated_subject_count(unrelated) == (1, False)


def test_a_bodys_own_notice_template_wins_and_staff_edit_templates_as_snippets(
        office: Any, client: Any, django_user_model: Any) -> None:
    from govsites import testing

    from ..models import NoticeTemplate

    body, clerk, _head = office
    NoticeTemplate.objects.create(body=None, result_group="disclosed", title="通用公开告知书",
                                  text="{申请人}：通用模板。{答复内容}")
    NoticeTemplate.objects.create(body=body, result_group="disclosed", title="教育局公开告知书",
                                  text="{申请人}：本局模板。{答复内容}（{单位}）")
    case = registered(body, clerk, D(2026, 9, 29))
    case = services.reply(request=case, acting_user=clerk, result="disclosed",
                          reply_text="予以公开。", on=D(2026, 10, 9))
    assert case.notice_text == "张三：本局模板。予以公开。（示例市教育局）"
    assert "教育局公开告知书" in notices.render_html(case)
    chief = django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    testing.login_verified(client, chief)
    listing = client.get("/admin/snippets/govsites_disclosure/noticetemplate/")
    assert listing.status_code == 200 and "教育局公开告知书" in listing.content.decode()


def test_statistics_count_reply_time_in_working_days_without_pauses(office: Any) -> None:
    from ..models import DisclosureBody

    body, clerk, _head = office
    quick = registered(body, clerk, D(2026, 9, 29))
    services.reply(request=quick, acting_user=clerk, result="disclosed", reply_text="公开",
                   on=D(2026, 10, 9))  # 9-30, 10-08, 10-09: 3 working days
    paused = registered(body, clerk, D(2026, 9, 29))
    services.start_consultation(request=paused, acting_user=clerk, kind="third_party",
                                party="第三方", on=D(2026, 9, 30))
    services.end_consultation(request=paused, acting_user=clerk, on=D(2026, 11, 20))
    services.reply(request=paused, acting_user=clerk, result="partial", reply_text="部分",
                   on=D(2026, 11, 23))  # 9-30 and 11-23 count: 2 working days, on time
    late = registered(body, clerk, D(2026, 9, 1))
    services.reply(request=late, acting_user=clerk, result="other", reply_text="其他",
                   on=D(2026, 11, 30))
    stats = selectors.statistics(DisclosureBody.objects.all(), year=2026)
    assert stats.replied == 3 and stats.on_time == 2
    assert stats.by_result == {"disclosed": 1, "partial": 1, "other": 1}
    assert stats.by_state == {"replied": 3}
    late_days = services.clock.working_days_used(start=D(2026, 9, 1), until=D(2026, 11, 30))
    assert stats.average_working_days == pytest.approx((3 + 2 + late_days) / 3)
