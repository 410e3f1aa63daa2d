"""Fixtures for the account rules: users with roles (the rules are the shipped settings)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group

from govsites.accounts.roles import Role, group_name

PASSWORD = "Zq7!mesa-Lk"
_numbers = itertools.count(1)


def make_user(organisation: Any, *roles: Role, username: str | None = None,
              password: str = PASSWORD, real_name: str | None = None,
              is_superuser: bool = False) -> Any:
    """Create a personal account through the service, holding the given roles."""
    from govsites.accounts.services import create_user

    n = next(_numbers)
    groups = [Group.objects.get(name=group_name(r)) for r in roles]
    return create_user(username=username or f"user{n}", password=password,
                       real_name=real_name or f"测试用户{n}", mobile=f"1380000{n:04d}",
                       organisation=organisation, acting_user=None, groups=groups,
                       is_superuser=is_superuser)


@pytest.fixture
def host_org(portal: Any) -> Any:
    return portal.host_organisation


@pytest.fixture
def other_org(db: Any) -> Any:
    from govsites import testing

    return testing.make_organisation("示例市财政局", kind="department")
