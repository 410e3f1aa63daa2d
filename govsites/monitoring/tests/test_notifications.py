"""Notices from monitoring: overdue 整改单 and opened 可用性告警 reach the responsible people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from govsites.accounts.roles import Role, group_name
from govsites.core.periodic import jobs
from govsites.monitoring import services, tasks
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.prober import ProbeResult
from govsites.testing.sms import RecordingSmsGateway

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings: Any) -> Iterator[type[RecordingSmsGateway]]:
    settings.GOVSITES_SMS_GATEWAY = "govsites.testing.sms.RecordingSmsGateway"
    RecordingSmsGateway.reset()
    yield RecordingSmsGateway
    RecordingSmsGateway.reset()


def _person(username: str, organisation: Any, role: Role, mobile: str) -> Any:
    from govsites.accounts.services import create_user

    group = Group.objects.get_or_create(name=group_name(role))[0]
    return create_user(username=username, password="Monitor-Notice-2026!", real_name=username,
                       mobile=mobile, organisation=organisation, acting_user=None,
                       groups=[group])


def test_overdue_tickets_remind_the_responsible_bodys_site_admin_once_a_day(
        portal: Any, sms: Any, django_capture_on_commit_callbacks: Any) -> None:
    admin = _person("site_admin", portal.host_organisation, Role.SITE_ADMIN, "13600000001")
    _person("editor", portal.host_organisation, Role.EDITOR, "13600000002")
    finding = InspectionFinding(rule_id="content.privacy", url="http://127.0.0.1:1/a",
                                evidence="身份证号 110101199003071233", severity="serious",
                                veto=False, message="公开了公民身份证号 110101199003071233")
    [ticket] = services.open_tickets(findings=[finding], organisation=portal.host_organisation,
                                     site=portal, today=dt.date(2026, 3, 5))
    assert ticket.deadline < timezone.localdate()  # opened in March 2026: long overdue

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_overdue_tickets.enqueue().return_value == 1
        assert tasks.remind_overdue_tickets.enqueue().return_value == 0  # same day: once

    assert [s.mobile for s in sms.sent] == [admin.mobile]
    text = sms.sent[0].text
    assert f"#{ticket.pk}" in text and "逾期" in text
    assert "110101199003071233" not in text  # the finding's evidence never travels
    assert "monitoring.remind_overdue_tickets" in {j.name for j in jobs()}


def test_an_uptime_alert_opened_by_the_probe_job_tells_the_site_admin_and_duty_officer(
        portal: Any, sms: Any, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    admin = _person("site_admin", portal.host_organisation, Role.SITE_ADMIN, "13600000003")
    duty = _person("duty", portal.host_organisation, Role.DUTY_OFFICER, "13600000004")
    admin.email = "admin@example.gov.cn"
    admin.save(update_fields=["email"])

    def probe_all_sites(*, transport: Any = None) -> list[str]:
        failed = ProbeResult(url="http://127.0.0.1:1/", outcome="failed", error="HTTP 503")
        services.record_probe(site=portal, result=failed)
        return ["failed"]

    monkeypatch.setattr(services, "probe_all_sites", probe_all_sites)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.uptime_probe.enqueue().return_value
    assert portal.uptime_alerts.count() == 1
    assert result["notices"] == 2
    assert sorted(s.mobile for s in sms.sent) == sorted([admin.mobile, duty.mobile])
    assert "可用性告警" in mail.outbox[0].subject and portal.name in mail.outbox[0].subject
