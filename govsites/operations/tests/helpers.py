"""Builders for the operations tests: accounts with roles, logged-in admin clients."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client

from govsites import testing
from govsites.accounts.roles import Role, group_name

PASSWORD = "Yunwei#2026!Strong"
_numbers = itertools.count(1)


def make_user(organisation: Any, *roles: Role, is_superuser: bool = False) -> Any:
    """An account made through the accounts service, holding the roles' groups."""
    from govsites.accounts.services import create_user

    n = next(_numbers)
    groups = [Group.objects.get(name=group_name(r)) for r in roles]
    return create_user(username=f"ops{n}", password=PASSWORD, real_name=f"运维用户{n}",
                       mobile=f"1380000{n:04d}", organisation=organisation, acting_user=None,
                       groups=groups, is_superuser=is_superuser)


def client_for(user: Any) -> Client:
    """A test client logged into the admin as `user` (second factor passed)."""
    return testing.login_verified(Client(), user)
