"""Accounts are personal: real name, mobile and organisation; roles carry fixed permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, Page

from govsites.accounts import services
from govsites.accounts.models import User
from govsites.accounts.role_permissions import ROLE_PAGE_PERMISSIONS, ensure_role_permissions
from govsites.accounts.roles import Role, group_name

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("missing", ["real_name", "mobile"])
def test_an_account_needs_a_real_name_and_a_mobile_number(host_org: Any, missing: str) -> None:
    fields = {"username": "zhao", "password": PASSWORD, "real_name": "赵一",
              "mobile": "13800001234", "organisation": host_org, "acting_user": None}
    fields[missing] = ""
    with pytest.raises(ValidationError):
        services.create_user(**fields)
    assert not User.objects.filter(username="zhao").exists()


def test_an_account_needs_an_organisation_unless_it_is_a_superuser(host_org: Any) -> None:
    with pytest.raises(ValidationError):
        services.create_user(username="qian", password=PASSWORD, real_name="钱二",
                             mobile="13800001235", organisation=None, acting_user=None)
    root = services.create_user(username="sun", password=PASSWORD, real_name="孙三",
                                mobile="13800001236", organisation=None, acting_user=None,
                                is_superuser=True)
    assert root.is_superuser


def test_an_invalid_mobile_number_is_refused(host_org: Any) -> None:
    with pytest.raises(ValidationError):
        services.create_user(username="li", password=PASSWORD, real_name="李四",
                             mobile="12345", organisation=host_org, acting_user=None)


def test_the_password_rules_apply_when_an_account_is_created(host_org: Any) -> None:
    with pytest.raises(ValidationError):
        services.create_user(username="zhou", password="zhou12345", real_name="周五",
                             mobile="13800001237", organisation=host_org, acting_user=None)


def test_the_user_admin_form_requires_real_name_mobile_and_organisation(
        host_org: Any) -> None:
    from govsites.accounts.forms import UserCreationForm
    from govsites.accounts.viewsets import UserViewSet

    assert UserViewSet("users").get_form_class() is UserCreationForm
    base = {"username": "wu", "email": "", "first_name": "", "last_name": "",
            "password1": "Wu#Strong88", "password2": "Wu#Strong88",
            "groups": [Group.objects.get(name=group_name(Role.EDITOR)).pk]}
    form = UserCreationForm(data=base)
    assert not form.is_valid()
    assert {"real_name", "mobile", "organisation"} <= set(form.errors)
    form = UserCreationForm(data={**base, "real_name": "吴六", "mobile": "13800001238",
                                  "organisation": host_org.pk})
    assert form.is_valid(), form.errors
    created = form.save()
    assert (created.real_name, created.organisation_id) == ("吴六", host_org.pk)
    assert created.password_changed_at is not None


def test_the_user_admin_form_applies_the_password_rules(host_org: Any) -> None:
    from govsites.accounts.forms import UserCreationForm

    form = UserCreationForm(data={"username": "zheng", "password1": "zheng2026",
                                  "password2": "zheng2026", "real_name": "郑七",
                                  "mobile": "13800001239", "organisation": host_org.pk})
    assert not form.is_valid()
    assert "password2" in form.errors


def test_each_role_group_holds_its_page_permissions_on_the_tree_root(db: Any) -> None:
    root = Page.get_first_root_node()
    for role, actions in ROLE_PAGE_PERMISSIONS.items():
        held = set(GroupPagePermission.objects.filter(group__name=group_name(role), page=root)
                   .values_list("permission__codename", flat=True))
        assert held == {f"{a}_page" for a in actions}, role


def test_every_role_may_open_the_admin_and_only_some_may_read_the_audit_trail(
        host_org: Any) -> None:
    for role in Role:
        user = make_user(host_org, role)
        assert user.has_perm("wagtailadmin.access_admin"), role
        reads = user.has_perm("core.view_auditrecord")
        assert reads == (role in {Role.PLATFORM_ADMIN, Role.SUPERVISOR}), role


def test_no_role_may_write_the_audit_trail(host_org: Any) -> None:
    admin = make_user(host_org, Role.PLATFORM_ADMIN)
    assert admin.has_perm("sites.add_organisation") or admin.has_perm(
        "govsites_sites.add_organisation")
    for action in ("add", "change", "delete"):
        assert not admin.has_perm(f"core.{action}_auditrecord")


def test_role_permissions_are_only_ever_added(db: Any) -> None:
    group = Group.objects.get(name=group_name(Role.DUTY_OFFICER))
    extra = Group.objects.get(name="Editors").permissions.exclude(
        pk__in=group.permissions.values("pk")).first()
    group.permissions.add(extra)
    ensure_role_permissions()
    assert group.permissions.filter(pk=extra.pk).exists()
