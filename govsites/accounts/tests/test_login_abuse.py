"""Login abuse: one address across many accounts, proxy addresses, and unlocking by TOTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from govsites.accounts import services, totp
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _login(client: Any, username: str, password: str, code: str = "",
           **meta: str) -> Any:
    data = {"username": username, "password": password}
    if code:
        data["totp_code"] = code
    return client.post(LOGIN, data, **meta)


def _errors(response: Any) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_one_address_failing_across_many_accounts_is_blocked_for_every_account(
        client: Any, host_org: Any, settings: Any) -> None:
    make_user(host_org, Role.EDITOR, username="victim")
    attacker = {"REMOTE_ADDR": "198.51.100.20"}
    for n in range(settings.GOVSITES_ADDRESS_FAILURE_THRESHOLD):
        _login(client, f"guess{n}", "wrong", **attacker)  # never the same username twice
    response = _login(client, "victim", PASSWORD, **attacker)
    assert response.status_code == 200 and "网络地址" in _errors(response)
    assert "_auth_user_id" not in client.session
    # The account itself is not locked: from another address its owner logs in.
    assert services.locked_until("victim") is None
    assert _login(client, "victim", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_attempts_from_a_blocked_address_do_not_count_against_the_account(
        client: Any, host_org: Any, settings: Any) -> None:
    make_user(host_org, Role.EDITOR, username="victim")
    attacker = {"REMOTE_ADDR": "198.51.100.21"}
    for n in range(settings.GOVSITES_ADDRESS_FAILURE_THRESHOLD):
        _login(client, f"guess{n}", "wrong", **attacker)
    for _attempt in range(settings.GOVSITES_LOCKOUT_THRESHOLD + 1):
        _login(client, "victim", "wrong", **attacker)
    assert services.locked_until("victim") is None
    blocked = AuditRecord.objects.filter(action="accounts.auth.login_failed",
                                         details__username="victim")
    assert blocked.count() == settings.GOVSITES_LOCKOUT_THRESHOLD + 1
    assert all(r.details["address_blocked"] for r in blocked)


def test_the_address_block_ends_after_its_time(host_org: Any, settings: Any) -> None:
    from django.test import RequestFactory

    request = RequestFactory().post(LOGIN, REMOTE_ADDR="198.51.100.22")
    start = timezone.now()
    for n in range(settings.GOVSITES_ADDRESS_FAILURE_THRESHOLD):
        services.record_login_failure(username=f"guess{n}", request=request, now=start)
    assert services.address_blocked_until(request, now=start) is not None
    later = start + dt.timedelta(minutes=settings.GOVSITES_ADDRESS_BLOCK_MINUTES, seconds=1)
    assert services.address_blocked_until(request, now=later) is None


def test_behind_the_trusted_proxy_the_forwarded_address_is_counted_and_logged(
        client: Any, host_org: Any) -> None:
    make_user(host_org, Role.EDITOR, username="liming")
    _login(client, "liming", "wrong", REMOTE_ADDR="127.0.0.1",
           HTTP_X_FORWARDED_FOR="198.51.100.30", HTTP_X_REAL_IP="198.51.100.30")
    record = AuditRecord.objects.filter(action="accounts.auth.login_failed").latest("pk")
    assert record.details["ip"] == "198.51.100.30"
    # From an address that is not a configured proxy the headers are the client's own words.
    _login(client, "liming", "wrong", REMOTE_ADDR="203.0.113.7",
           HTTP_X_FORWARDED_FOR="198.51.100.31")
    record = AuditRecord.objects.filter(action="accounts.auth.login_failed").latest("pk")
    assert record.details["ip"] == "203.0.113.7"


def _locked_administrator(host_org: Any) -> tuple[Any, str]:
    admin = make_user(host_org, Role.SITE_ADMIN, username="zhanzhang")
    device = services.start_totp_enrolment(user=admin)
    earlier = timezone.now() - dt.timedelta(minutes=5)
    assert services.confirm_totp(user=admin, code=totp.code_for(device.secret, now=earlier),
                                 now=earlier)
    for _attempt in range(5):
        services.record_login_failure(username="zhanzhang")
    assert services.locked_until("zhanzhang") is not None
    return admin, device.secret


def test_the_login_page_offers_the_code_field_only_while_a_username_is_locked(
        client: Any, host_org: Any) -> None:
    make_user(host_org, Role.EDITOR, username="liming")
    unlocked = _login(client, "liming", "wrong").content.decode()
    assert "totp_code" not in unlocked and "动态验证码" not in unlocked
    _locked_administrator(host_org)
    locked = _login(client, "zhanzhang", "wrong").content.decode()
    assert 'type="text" name="totp_code"' in locked


def test_a_locked_administrator_unlocks_with_password_and_a_current_code(
        client: Any, host_org: Any) -> None:
    admin, secret = _locked_administrator(host_org)
    response = _login(client, "zhanzhang", PASSWORD, code=totp.code_for(secret))
    assert response.status_code == 302
    assert services.locked_until("zhanzhang") is None
    # Both factors were proved at login: the admin opens without asking for a code again.
    home = client.get("/admin/")
    assert home.status_code == 200
    record = AuditRecord.objects.filter(action="accounts.auth.unlock").latest("pk")
    assert record.actor_id == admin.pk and record.details["by"] == "second_factor"


def test_a_wrong_code_or_password_does_not_unlock_and_counts_as_a_failure(
        client: Any, host_org: Any) -> None:
    _admin, secret = _locked_administrator(host_org)
    failures = AuditRecord.objects.filter(action="accounts.auth.login_failed").count()
    assert "锁定" in _errors(_login(client, "zhanzhang", PASSWORD, code="000000"))
    assert "锁定" in _errors(_login(client, "zhanzhang", "wrong", code=totp.code_for(secret)))
    assert services.locked_until("zhanzhang") is not None
    assert AuditRecord.objects.filter(action="accounts.auth.login_failed").count() == \
        failures + 2


def test_an_account_without_an_authenticator_cannot_unlock_itself(client: Any,
                                                                  host_org: Any) -> None:
    make_user(host_org, Role.EDITOR, username="liming")
    for _attempt in range(5):
        services.record_login_failure(username="liming")
    assert "锁定" in _errors(_login(client, "liming", PASSWORD, code="123456"))
    assert services.locked_until("liming") is not None


def test_a_used_code_cannot_unlock_twice(client: Any, host_org: Any) -> None:
    _admin, secret = _locked_administrator(host_org)
    code = totp.code_for(secret)
    assert _login(client, "zhanzhang", PASSWORD, code=code).status_code == 302
    client.post(reverse("wagtailadmin_logout"))
    for _attempt in range(5):
        services.record_login_failure(username="zhanzhang")
    assert "锁定" in _errors(_login(client, "zhanzhang", PASSWORD, code=code))
