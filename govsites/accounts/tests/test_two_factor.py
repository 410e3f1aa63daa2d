"""TOTP is required for reviewers, leaders and administrators before the admin is usable."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from govsites.accounts import services, totp
from govsites.accounts.middleware import LAST_ACTIVITY_KEY
from govsites.accounts.models import TOTPDevice
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SETUP = "govsites_accounts:totp_setup"
VERIFY = "govsites_accounts:totp_verify"


def _enrolled(user: Any) -> TOTPDevice:
    device = services.start_totp_enrolment(user=user)
    earlier = timezone.now() - dt.timedelta(minutes=5)
    assert services.confirm_totp(user=user, code=totp.code_for(device.secret, now=earlier),
                                 now=earlier)
    device.refresh_from_db()
    return device


def _password_login(client: Any, user: Any) -> None:
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.DEPUTY_HEAD, Role.HEAD, Role.SITE_ADMIN,
                                  Role.PLATFORM_ADMIN])
def test_roles_that_approve_or_administer_must_enrol_before_using_the_admin(
        client: Any, host_org: Any, role: Role) -> None:
    user = make_user(host_org, role)
    _password_login(client, user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(SETUP))


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SUPERVISOR, Role.DUTY_OFFICER])
def test_other_roles_use_the_admin_with_a_password_alone(client: Any,
                                                         host_org: Any, role: Role) -> None:
    user = make_user(host_org, role)
    _password_login(client, user)
    assert client.get("/admin/").status_code == 200


def test_enrolment_shows_the_secret_and_otpauth_uri_and_enables_on_a_valid_code(
        client: Any, host_org: Any) -> None:
    user = make_user(host_org, Role.REVIEWER, username="wangfang")
    _password_login(client, user)
    page = client.get(reverse(SETUP))
    device = TOTPDevice.objects.get(user=user)
    body = page.content.decode()
    assert device.secret in body
    assert "otpauth://totp/" in body and "wangfang" in body
    assert "<svg" in body
    response = client.post(reverse(SETUP), {"code": totp.code_for(device.secret),
                                            "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert AuditRecord.objects.filter(action="accounts.totp.enable", actor_id=user.pk).exists()


def test_enrolment_refuses_a_wrong_code(client: Any,
                                        host_org: Any) -> None:
    user = make_user(host_org, Role.REVIEWER)
    _password_login(client, user)
    client.get(reverse(SETUP))
    response = client.post(reverse(SETUP), {"code": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/").status_code == 302


def test_an_enrolled_user_is_asked_for_a_code_after_the_password(client: Any,
                                                                 host_org: Any) -> None:
    user = make_user(host_org, Role.HEAD)
    device = _enrolled(user)
    _password_login(client, user)
    response = client.get("/admin/pages/")
    assert response["Location"].startswith(reverse(VERIFY))
    response = client.post(reverse(VERIFY), {"code": totp.code_for(device.secret),
                                             "next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert AuditRecord.objects.filter(action="accounts.totp.verify", actor_id=user.pk).exists()


def test_the_second_factor_is_asked_again_at_the_next_login(client: Any,
                                                            host_org: Any) -> None:
    user = make_user(host_org, Role.HEAD)
    device = _enrolled(user)
    _password_login(client, user)
    client.post(reverse(VERIFY), {"code": totp.code_for(device.secret)})
    client.post("/admin/logout/")
    _password_login(client, user)
    assert client.get("/admin/")["Location"].startswith(reverse(VERIFY))


def test_a_code_cannot_be_used_twice(host_org: Any) -> None:
    user = make_user(host_org, Role.HEAD)
    device = _enrolled(user)
    now = timezone.now()
    code = totp.code_for(device.secret, now=now)
    assert services.verify_totp(user=user, code=code, now=now)
    assert not services.verify_totp(user=user, code=code, now=now)


def test_a_code_from_the_neighbouring_time_step_is_accepted_but_not_an_older_one(
        host_org: Any) -> None:
    user = make_user(host_org, Role.HEAD)
    device = _enrolled(user)
    now = timezone.now()
    previous = totp.code_for(device.secret, now=now - dt.timedelta(seconds=30))
    stale = totp.code_for(device.secret, now=now - dt.timedelta(seconds=120))
    assert not services.verify_totp(user=user, code=stale, now=now)
    assert services.verify_totp(user=user, code=previous, now=now)


def test_five_wrong_codes_lock_the_account_and_log_the_user_out(client: Any,
                                                                host_org: Any) -> None:
    user = make_user(host_org, Role.SITE_ADMIN)
    _enrolled(user)
    _password_login(client, user)
    for _attempt in range(4):
        assert client.post(reverse(VERIFY), {"code": "000000"}).status_code == 200
    response = client.post(reverse(VERIFY), {"code": "000000"})
    assert response["Location"] == reverse("wagtailadmin_login")
    assert "_auth_user_id" not in client.session
    assert services.locked_until(user.username) is not None
    fails = AuditRecord.objects.filter(action__in=["accounts.auth.login_failed",
                                                   "accounts.auth.lockout"],
                                       details__stage="totp")
    assert fails.count() == 5
    logout = AuditRecord.objects.filter(action="accounts.auth.logout").latest("pk")
    assert logout.details["reason"] == "totp_locked"


def test_resetting_a_lost_authenticator_makes_the_user_enrol_again(host_org: Any) -> None:
    user = make_user(host_org, Role.HEAD)
    _enrolled(user)
    services.reset_totp(user=user, acting_user=None)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditRecord.objects.filter(action="accounts.totp.reset").count() == 1


def test_an_idle_session_is_ended_and_the_logout_is_audited(client: Any,
                                                            host_org: Any) -> None:
    user = make_user(host_org, Role.EDITOR)
    _password_login(client, user)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "_auth_user_id" not in client.session
    record = AuditRecord.objects.filter(action="accounts.auth.logout").latest("pk")
    assert record.details["reason"] == "idle"


def test_activity_within_the_idle_limit_keeps_the_session(settings: Any, client: Any,
                                                          host_org: Any) -> None:
    settings.GOVSITES_SESSION_IDLE_MINUTES = 60
    user = make_user(host_org, Role.EDITOR)
    _password_login(client, user)
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    assert client.get("/admin/").status_code == 200
