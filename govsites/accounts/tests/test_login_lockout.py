"""Five failed logins lock a username for 30 minutes; unknown usernames behave the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.accounts import services
from govsites.accounts.models import LoginFailureCounter
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def _login(client: Any, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def _errors(response: Any) -> str:
    form = response.context["form"]
    return " ".join(str(e) for e in form.non_field_errors())


@pytest.fixture
def editor(host_org: Any) -> Any:
    return make_user(host_org, Role.EDITOR, username="liming")


def test_a_correct_password_logs_in_and_is_audited(client: Any,
                                                   editor: Any) -> None:
    response = _login(client, "liming", PASSWORD)
    assert response.status_code == 302
    record = AuditRecord.objects.filter(action="accounts.auth.login").latest("pk")
    assert record.actor_id == editor.pk
    assert record.details["ip"] == "127.0.0.1"


def test_each_failed_login_is_audited_with_the_running_count(client: Any, editor: Any) -> None:
    _login(client, "liming", "wrong")
    _login(client, "liming", "wrong")
    failures = AuditRecord.objects.filter(action="accounts.auth.login_failed").order_by("pk")
    assert [r.details["failures"] for r in failures] == [1, 2]
    assert failures[0].object_id == str(editor.pk)


def test_the_fifth_failure_locks_the_account_and_the_right_password_no_longer_works(
        client: Any, editor: Any) -> None:
    for _attempt in range(4):
        assert "锁定" not in _errors(_login(client, "liming", "wrong"))
    assert "锁定" in _errors(_login(client, "liming", "wrong"))
    assert AuditRecord.objects.filter(action="accounts.auth.lockout").count() == 1
    response = _login(client, "liming", PASSWORD)
    assert response.status_code == 200
    assert "锁定" in _errors(response)
    assert "_auth_user_id" not in client.session


def test_the_lock_lasts_thirty_minutes_by_default(editor: Any) -> None:
    start = timezone.now()
    for _attempt in range(5):
        outcome = services.record_login_failure(username="liming", now=start)
    assert outcome.newly_locked
    assert outcome.locked_until == start + dt.timedelta(minutes=30)
    assert services.locked_until("liming", now=start + dt.timedelta(minutes=29)) is not None
    assert services.locked_until("liming", now=start + dt.timedelta(minutes=30)) is None


def test_threshold_and_duration_are_configurable(settings: Any, editor: Any) -> None:
    settings.GOVSITES_LOCKOUT_THRESHOLD = 3
    settings.GOVSITES_LOCKOUT_MINUTES = 10
    start = timezone.now()
    outcomes = [services.record_login_failure(username="liming", now=start) for _ in range(3)]
    assert [o.newly_locked for o in outcomes] == [False, False, True]
    assert outcomes[-1].locked_until == start + dt.timedelta(minutes=10)


def test_after_the_lock_ends_the_right_password_works_again(client: Any, editor: Any) -> None:
    past = timezone.now() - dt.timedelta(minutes=31)
    for _attempt in range(5):
        services.record_login_failure(username="liming", now=past)
    assert _login(client, "liming", PASSWORD).status_code == 302
    assert not LoginFailureCounter.objects.filter(username="liming").exists()


def test_a_success_resets_the_count_of_failures(client: Any,
                                                editor: Any) -> None:
    for _attempt in range(4):
        _login(client, "liming", "wrong")
    assert _login(client, "liming", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        assert "锁定" not in _errors(_login(client, "liming", "wrong"))


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(
        client: Any, editor: Any) -> None:
    known = [_errors(_login(client, "liming", "wrong")) for _attempt in range(6)]
    unknown = [_errors(_login(client, "nobody", "wrong")) for _attempt in range(6)]
    assert known == unknown
    assert "锁定" in unknown[-1]


def test_usernames_are_counted_regardless_of_letter_case(editor: Any) -> None:
    for name in ["LiMing", "liming", "LIMING", " liming", "Liming"]:
        services.record_login_failure(username=name)
    assert services.locked_until("liming") is not None


def test_the_backend_refuses_a_locked_username_outside_the_login_form(
        editor: Any) -> None:
    from django.contrib.auth import authenticate

    for _attempt in range(5):
        services.record_login_failure(username="liming")
    assert authenticate(None, username="liming", password=PASSWORD) is None


def test_an_administrator_can_lift_a_lock(client: Any,
                                          editor: Any) -> None:
    for _attempt in range(5):
        services.record_login_failure(username="liming")
    services.unlock_username(username="liming", acting_user=None)
    assert _login(client, "liming", PASSWORD).status_code == 302
    assert AuditRecord.objects.filter(action="accounts.auth.unlock").count() == 1


def test_logout_is_audited(client: Any, editor: Any) -> None:
    _login(client, "liming", PASSWORD)
    client.post("/admin/logout/")
    record = AuditRecord.objects.filter(action="accounts.auth.logout").latest("pk")
    assert record.actor_id == editor.pk and record.details["reason"] == "user"
