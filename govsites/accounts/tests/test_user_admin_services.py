"""The user admin and the password page save through accounts.services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.accounts import services
from govsites.accounts.models import PasswordHistory, User
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any, host_org: Any) -> Any:
    chief = make_user(host_org, Role.PLATFORM_ADMIN, username="chief", is_superuser=True)
    return testing.login_verified(client, chief)


def _edit_data(user: User, **changes: Any) -> dict[str, Any]:
    data = {"username": user.username, "email": user.email, "real_name": user.real_name,
            "mobile": user.mobile, "organisation": user.organisation_id, "is_active": "on",
            "first_name": "", "last_name": "", "password1": "", "password2": "",
            "groups": list(user.groups.values_list("pk", flat=True))}
    return data | changes


def test_an_admin_edit_of_an_account_writes_exactly_one_audit_record(
        admin_client: Any, host_org: Any) -> None:
    colleague = make_user(host_org, Role.EDITOR)
    before = AuditRecord.objects.count()
    response = admin_client.post(f"/admin/users/edit/{colleague.pk}/",
                                 _edit_data(colleague, mobile="13900009999"))
    assert response.status_code == 302, (response.status_code, response.get("Location"), response.context and response.context.get("form") and response.context["form"].errors)
    colleague.refresh_from_db()
    assert colleague.mobile == "13900009999"
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in new] == ["accounts.user.update"]
    assert new[0].details["after"] == {"mobile": "13900009999"}
    assert new[0].details["password_changed"] is False


def test_a_password_set_in_the_user_admin_enters_the_history_in_one_record(
        admin_client: Any, host_org: Any) -> None:
    colleague = make_user(host_org, Role.EDITOR)
    before = AuditRecord.objects.count()
    response = admin_client.post(f"/admin/users/edit/{colleague.pk}/", _edit_data(
        colleague, password1="Neu#Kenn-2026", password2="Neu#Kenn-2026"))
    assert response.status_code == 302, (response.status_code, response.get("Location"), response.context and response.context.get("form") and response.context["form"].errors)
    assert PasswordHistory.objects.filter(user=colleague).count() == 2
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in new] == ["accounts.user.update"]
    assert new[0].details["password_changed"] is True


def test_an_account_created_in_the_admin_writes_one_creation_record(
        admin_client: Any, host_org: Any) -> None:
    before = AuditRecord.objects.count()
    response = admin_client.post("/admin/users/new/", {
        "username": "wu", "email": "", "real_name": "吴九", "mobile": "13800009876",
        "organisation": host_org.pk, "first_name": "", "last_name": "",
        "password1": "Neu#Kenn-2026", "password2": "Neu#Kenn-2026", "groups": []})
    assert response.status_code == 302, (response.status_code, response.get("Location"), response.context and response.context.get("form") and response.context["form"].errors)
    created = User.objects.get(username="wu")
    assert created.password_changed_at is not None
    assert PasswordHistory.objects.filter(user=created).count() == 1
    assert [r.action for r in AuditRecord.objects.order_by("pk")[before:]] == [
        "accounts.user.create"]


def test_a_refused_account_edit_changes_nothing(host_org: Any) -> None:
    colleague = make_user(host_org, Role.EDITOR)
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError):
        services.update_user(user=colleague, acting_user=None, organisation=None)
    colleague.refresh_from_db()
    assert colleague.organisation_id == host_org.pk
    assert AuditRecord.objects.count() == before


def test_the_password_service_keeps_history_and_writes_one_record(host_org: Any) -> None:
    user = make_user(host_org)
    before = AuditRecord.objects.count()
    services.change_password(user=user, password="Fresh#Pass9", acting_user=user)
    assert PasswordHistory.objects.filter(user=user).count() == 2
    assert [r.action for r in AuditRecord.objects.order_by("pk")[before:]] == [
        "accounts.password.change"]


def test_a_password_set_by_django_itself_still_enters_the_history(host_org: Any) -> None:
    # Wagtail's account page and `changepassword` save the user without our services.
    user = make_user(host_org)
    user.set_password("Fresh#Pass9")
    user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 2
    assert AuditRecord.objects.filter(action="accounts.password.change",
                                      object_id=str(user.pk)).count() == 1
