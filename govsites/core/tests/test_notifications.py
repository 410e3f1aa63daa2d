"""Notifications: channels by preference, sent on commit, once a day, no personal data."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from govsites.core import notifications
from govsites.core.models import AuditRecord, NotificationDelivery
from govsites.testing.sms import RecordingSmsGateway

RECORDING = "govsites.testing.sms.RecordingSmsGateway"
DAY = dt.date(2026, 12, 1)


@pytest.fixture
def sms(settings: Any) -> Iterator[type[RecordingSmsGateway]]:
    settings.GOVSITES_SMS_GATEWAY = RECORDING
    RecordingSmsGateway.reset()
    yield RecordingSmsGateway
    RecordingSmsGateway.reset()


@pytest.fixture
def person(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="reviewer1", password="x", real_name="审核员", mobile="13900000001",
        email="reviewer1@example.gov.cn")


def notice(key: str = "review-step:1", body: str = "“关于开展安全检查的通知”等待审核。") -> Any:
    return notifications.Notice(kind=notifications.REVIEW_OVERDUE, item_key=key,
                                subject="审核逾期：关于开展安全检查的通知", body=body,
                                url="http://127.0.0.1:8000/admin/workflow/mine/")


def test_a_notice_goes_by_email_and_sms_once_the_transaction_commits(
        person: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notifications.notify(notice=notice(), recipients=[person], day=DAY)
        assert mail.outbox == [] and sms.sent == []  # nothing before the commit
    assert [m.to for m in mail.outbox] == [["reviewer1@example.gov.cn"]]
    assert mail.outbox[0].subject == "审核逾期：关于开展安全检查的通知"
    assert "/admin/workflow/mine/" in mail.outbox[0].body
    assert [s.mobile for s in sms.sent] == ["13900000001"]
    assert "等待审核" in sms.sent[0].text


def test_nothing_is_sent_or_recorded_when_the_callers_transaction_rolls_back(
        person: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        notifications.notify(notice=notice(), recipients=[person], day=DAY)
        raise RuntimeError("the change failed")
    assert callbacks == [] and mail.outbox == [] and sms.sent == []
    assert not NotificationDelivery.objects.exists()


def test_one_notice_per_person_per_item_per_day(
        person: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.notify(notice=notice(), recipients=[person, person], day=DAY)
        again = notifications.notify(notice=notice(), recipients=[person], day=DAY)
        other_item = notifications.notify(notice=notice("review-step:2"), recipients=[person],
                                          day=DAY)
        next_day = notifications.notify(notice=notice(), recipients=[person],
                                        day=DAY + dt.timedelta(days=1))
    assert (len(first), len(again), len(other_item), len(next_day)) == (1, 0, 1, 1)
    assert len(mail.outbox) == 3 and len(sms.sent) == 3


def test_preferences_choose_the_channels_and_the_contacts(
        person: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    notifications.set_preferences(user=person, acting_user=person, email_enabled=False,
                                  sms_enabled=True, mobile="13700000002")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(notice=notice(), recipients=[person], day=DAY)
    assert mail.outbox == []
    assert [s.mobile for s in sms.sent] == ["13700000002"]
    delivery = NotificationDelivery.objects.get()
    assert delivery.channels == "sms"


def test_a_person_with_every_channel_off_or_an_inactive_account_gets_nothing(
        person: Any, django_user_model: Any, sms: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    gone = django_user_model.objects.create_user(username="gone", password="x", real_name="离岗",
                                                 mobile="13900000003", is_active=False)
    notifications.set_preferences(user=person, acting_user=person, email_enabled=False,
                                  sms_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications.notify(notice=notice(), recipients=[person, gone], day=DAY)
    assert sent == [] and mail.outbox == [] and sms.sent == []


def test_citizens_personal_data_never_leaves_in_a_notice(
        person: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    leaky = notice(body="留言人 110101199003071233，电话 13812345678，邮箱 zhang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(notice=leaky, recipients=[person], day=DAY)
    for text in (mail.outbox[0].body, sms.sent[0].text):
        assert "110101199003071233" not in text
        assert "13812345678" not in text
        assert "zhang@example.com" not in text
        assert "[身份证号已隐去]" in text


def test_a_failing_sms_gateway_does_not_stop_the_email(
        person: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.GOVSITES_SMS_GATEWAY = "govsites.testing.sms.FailingSmsGateway"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(notice=notice(), recipients=[person], day=DAY)
    assert len(mail.outbox) == 1


def test_the_console_gateway_is_the_default_and_a_gateway_without_send_is_refused(
        settings: Any) -> None:
    assert isinstance(notifications.sms_gateway(), notifications.ConsoleSmsGateway)
    settings.GOVSITES_SMS_GATEWAY = "builtins.dict"
    with pytest.raises(ImproperlyConfigured):
        notifications.sms_gateway()


def test_preferences_are_set_by_their_owner_only_audited_and_validated(
        person: Any, django_user_model: Any) -> None:
    other = django_user_model.objects.create_user(username="other", password="x",
                                                  real_name="他人", mobile="13900000004")
    with pytest.raises(ValidationError, match="本人"):
        notifications.set_preferences(user=person, acting_user=other, email_enabled=False,
                                      sms_enabled=False)
    with pytest.raises(ValidationError, match="11位"):
        notifications.set_preferences(user=person, acting_user=person, email_enabled=True,
                                      sms_enabled=True, mobile="12345")
    assert not AuditRecord.objects.filter(action="core.notification_preference.update").exists()
    notifications.set_preferences(user=person, acting_user=person, email_enabled=True,
                                  sms_enabled=False)
    record = AuditRecord.objects.get(action="core.notification_preference.update")
    assert record.details["after"]["sms_enabled"] is False


def test_the_console_gateway_logs_no_mobile_number_or_id_number(caplog: Any) -> None:
    """It logged the number in clear: logs must not hold personal data."""
    with caplog.at_level(logging.INFO, logger="govsites.core.notifications"):
        notifications.ConsoleSmsGateway().send(
            mobile="13812345678", text="身份证 11010519491231002X 的申请已受理，回电 13912345678")
    assert "SMS to 138****5678" in caplog.text
    for secret in ("13812345678", "11010519491231002X", "13912345678"):
        assert secret not in caplog.text


def test_texts_to_the_public_use_their_own_gateway_when_set_else_the_platforms(
        settings: Any) -> None:
    settings.GOVSITES_SMS_GATEWAY = RECORDING
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = ""
    assert isinstance(notifications.citizen_sms_gateway(), RecordingSmsGateway)
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = "govsites.testing.sms.FailingSmsGateway"
    assert type(notifications.citizen_sms_gateway()).__name__ == "FailingSmsGateway"
    settings.GOVSITES_CITIZEN_SMS_GATEWAY = "builtins.dict"
    with pytest.raises(ImproperlyConfigured):
        notifications.citizen_sms_gateway()
