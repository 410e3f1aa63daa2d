"""Password rules of 等保 2.0 level 3: length, classes, username, history, expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govsites.accounts.models import PasswordHistory, User
from govsites.accounts.passwords import password_expired
from govsites.core.models import AuditRecord

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _codes(password: str, user: Any = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list if e.code}
    return set()


def test_password_shorter_than_eight_characters_is_refused() -> None:
    assert "password_too_short" in _codes("Ab1!xyz")


def test_password_with_only_two_character_classes_is_refused() -> None:
    assert "password_too_simple" in _codes("abcdefgh123")


def test_password_with_three_character_classes_and_eight_characters_is_accepted() -> None:
    assert _codes("Qwrtz7pk") == set()


def test_password_containing_the_username_in_any_case_is_refused(
        host_org: Any) -> None:
    user = make_user(host_org, username="zhangwei")
    assert "password_contains_username" in _codes("ZhangWei#2026", user)


def test_none_of_the_last_five_passwords_may_be_reused(host_org: Any) -> None:
    user = make_user(host_org)
    used = [PASSWORD] + [f"Rotate#{i}xQ" for i in range(1, 6)]
    for new in used[1:]:
        validate_password(new, user)
        user.set_password(new)
        user.save()
    # The five most recent (the current one included) are refused, the sixth-oldest is free.
    for recent in used[-5:]:
        assert "password_reused" in _codes(recent, user), recent
    assert "password_reused" not in _codes(used[0], user)
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_password_change_is_audited_and_restarts_the_expiry_clock(host_org: Any) -> None:
    user = make_user(host_org)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=100))
    user.refresh_from_db()
    assert password_expired(user)
    user.set_password("Fresh#Pass9")
    user.save()
    user.refresh_from_db()
    assert not password_expired(user)
    assert AuditRecord.objects.filter(action="accounts.password.change",
                                      object_id=str(user.pk)).count() == 1


def test_a_new_account_writes_one_creation_record_not_a_password_change(host_org: Any) -> None:
    user = make_user(host_org)
    actions = list(AuditRecord.objects.filter(object_id=str(user.pk),
                                              object_type="accounts.user")
                   .values_list("action", flat=True))
    assert actions == ["accounts.user.create"]


def test_password_expires_after_ninety_days_by_default(host_org: Any) -> None:
    user = make_user(host_org)
    changed = user.password_changed_at
    assert not password_expired(user, now=changed + dt.timedelta(days=89))
    assert password_expired(user, now=changed + dt.timedelta(days=90))


def _rule_editor() -> Any:
    return User.objects.create_superuser("rules-admin", "rules@example.cn", "Gv#7xq2Lm!pz9")


def test_password_lifetime_is_rule_data_and_zero_disables_expiry(host_org: Any) -> None:
    from govsites.rules.services import set_override

    admin = _rule_editor()
    user = make_user(host_org)
    later = user.password_changed_at + dt.timedelta(days=40)
    set_override(key="accounts.password.max_age_days", value=30, reason="测试：30天更换",
                 acting_user=admin)
    assert password_expired(user, now=later)
    set_override(key="accounts.password.max_age_days", value=0, reason="测试：不过期",
                 acting_user=admin)
    assert not password_expired(user, now=later + dt.timedelta(days=999))


def test_the_minimum_length_is_rule_data_an_override_raises_at_once(host_org: Any) -> None:
    from govsites.rules.services import set_override

    assert "password_too_short" not in _codes("Gv#7xq2Lm")  # 9 characters
    set_override(key="accounts.password.min_length", value=12, reason="测试：等保加严",
                 acting_user=_rule_editor())
    assert "password_too_short" in _codes("Gv#7xq2Lm")
    assert "password_too_short" not in _codes("Gv#7xq2Lm!pz")


def test_expired_password_sends_every_admin_page_to_the_password_change_panel(
        client: Any, host_org: Any) -> None:
    from govsites.accounts.roles import Role

    user = make_user(host_org, Role.EDITOR)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("govsites_accounts:password_change"))
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/admin/account/").status_code == 302


def test_changing_the_expired_password_lets_the_user_back_in(
        client: Any, host_org: Any) -> None:
    from govsites.accounts.roles import Role

    user = make_user(host_org, Role.EDITOR)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(user)
    response = client.post(reverse("govsites_accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand#New42x",
        "new_password2": "Brand#New42x", "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    user.refresh_from_db()
    assert user.check_password("Brand#New42x")
    assert client.get("/admin/").status_code == 200
    record = AuditRecord.objects.filter(action="accounts.password.change").latest("pk")
    assert record.actor_id == user.pk and record.details["by_self"] is True


def test_password_change_page_refuses_the_current_password_with_the_reason(
        client: Any, host_org: Any) -> None:
    from govsites.accounts.roles import Role

    user = make_user(host_org, Role.EDITOR)
    client.force_login(user)
    response = client.post(reverse("govsites_accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用的密码相同" in response.content.decode()
    assert PasswordHistory.objects.filter(user=user).count() == 1


def test_createsuperuser_requires_a_real_name_and_a_mobile_number(monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root#Pass99")
    monkeypatch.setenv("DJANGO_SUPERUSER_REAL_NAME", "王管理")
    monkeypatch.setenv("DJANGO_SUPERUSER_MOBILE", "13900001111")
    call_command("createsuperuser", "--noinput", "--username", "root",
                 verbosity=0)
    root = User.objects.get(username="root")
    assert (root.real_name, root.mobile, root.is_superuser) == ("王管理", "13900001111", True)
    assert root.password_changed_at is not None
    monkeypatch.delenv("DJANGO_SUPERUSER_MOBILE")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("createsuperuser", "--noinput", "--username", "root2",
                     verbosity=0)


@pytest.mark.parametrize("password, code", [
    ("Admin@123", "password_too_common"),
    ("Abcd@1234", "password_sequence"),
    ("Zxcv1234!", "password_sequence"),
    ("Passw0rd!", "password_too_common"),
    ("P@ssw0rd1", "password_too_common"),
    ("11111111Aa", "password_repeated"),
    ("woaini1314", "password_too_common"),
    ("Zhangwei@1990", "password_too_common"),
    ("Wangfang0815!", "password_too_common"),
    ("Gov@2024", "password_too_common"),
    ("Zhengfu#2026", "password_too_common"),
    ("Qaz#Zxcv98", "password_keyboard_walk"),
    ("1qaz@WSX", "password_keyboard_walk"),
    ("Tq!@#$9Lm", "password_sequence"),  # shifted digits: !@#$ is 1234
    ("QWER#9lmx", "password_keyboard_walk"),
    ("Lm9#4321x", "password_sequence"),
    ("Lm9#aaaa7X", "password_repeated"),
])
def test_keyboard_walks_sequences_repeats_and_common_passwords_are_refused(
        password: str, code: str) -> None:
    assert code in _codes(password)


@pytest.mark.parametrize("password", ["Zq7!mesa-Lk", "Tq9$Lm2!xz", "Heron#2001x", "Mars#7781k"])
def test_passwords_without_a_weak_pattern_are_accepted(password: str) -> None:
    assert _codes(password) == set()


def test_the_weak_password_list_ships_with_its_source_described() -> None:
    from govsites.accounts.passwords import WEAK_PASSWORDS_FILE, weak_password_list

    header = WEAK_PASSWORDS_FILE.read_text(encoding="utf-8").split("[passwords]")[0]
    assert "Source:" in header and "compiled by hand" in header
    weak = weak_password_list()
    assert {"admin123", "woaini1314"} <= weak.passwords
    assert {"gov", "zhengfu"} <= weak.base_words
    assert "zhang" in weak.surnames and "wei" in weak.syllables
