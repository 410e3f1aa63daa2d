"""Applicants are told of corrections, extensions, fees and replies by e-mail and by SMS
through the citizens' SMS gateway; a gateway that is down never undoes the step."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import mail

from govsites.accounts.roles import Role
from govsites.testing.sms import RecordingSmsGateway

from .. import services
from .factories import applicant, make_body, make_staff, registered

D = dt.date


@pytest.fixture
def office(db: Any, settings: Any) -> Any:
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = "govsites.testing.sms.RecordingSmsGateway"
    RecordingSmsGateway.reset()
    body = make_body()
    return body, make_staff(body, "handler"), make_staff(body, "head", Role.HEAD)


def test_the_applicant_gets_an_sms_and_an_email_when_the_reply_period_is_extended(
        office: Any, django_capture_on_commit_callbacks: Any) -> None:
    body, handler, head = office
    case = registered(body, handler, D(2026, 9, 29),
                      person=applicant(phone="139-1234-5678", email="zhang@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        services.extend(request=case, acting_user=head, days=10, reason="需调取档案",
                        on=D(2026, 10, 12))
    [sms] = RecordingSmsGateway.sent
    assert sms.mobile == "13912345678"
    assert case.reference in sms.text and "延长答复期限10个工作日" in sms.text
    assert "张三" not in sms.text
    assert [m.subject for m in mail.outbox] == ["政府信息公开申请延期答复告知"]


def test_a_landline_gets_no_sms_and_the_reply_still_reaches_the_email(
        office: Any, django_capture_on_commit_callbacks: Any) -> None:
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29),
                      person=applicant(phone="0753-2345678", email="zhang@example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(request=case, acting_user=handler, result="not_handled_repeat",
                       reply_text="重复申请。", on=D(2026, 10, 9))
    assert RecordingSmsGateway.sent == []
    assert [m.subject for m in mail.outbox] == ["政府信息公开申请答复"]


def test_a_gateway_that_is_down_keeps_the_step_and_logs_no_number(
        office: Any, settings: Any, caplog: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = "govsites.testing.sms.FailingSmsGateway"
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        case = services.request_correction(request=case, acting_user=handler,
                                           note="请写明学校名称", on=D(2026, 9, 30))
    assert case.state == "correction"
    assert "SMS to applicant not sent" in caplog.text
    assert "13912345678" not in caplog.text


def test_the_default_gateway_logs_the_sms_with_the_number_masked(
        office: Any, settings: Any, caplog: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = ""
    body, handler, _head = office
    case = registered(body, handler, D(2026, 9, 29))
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        services.request_correction(request=case, acting_user=handler, note="请写明学校名称",
                                    on=D(2026, 9, 30))
    assert case.reference in caplog.text
    assert "13912345678" not in caplog.text
