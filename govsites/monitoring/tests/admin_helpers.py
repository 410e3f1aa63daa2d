"""Builders for the monitoring admin tests: users with roles, a served site, a finished inspection."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Site

from govsites import testing
from govsites.accounts.roles import Role, group_name

PASSWORD = "Zhengwu#2026!Strong"
_numbers = itertools.count(1)


def make_user(organisation: Any, *roles: Role, username: str | None = None,
              is_superuser: bool = False) -> Any:
    """An account made through the accounts service, holding the roles' groups."""
    from govsites.accounts.services import create_user

    n = next(_numbers)
    groups = [Group.objects.get(name=group_name(r)) for r in roles]
    return create_user(username=username or f"mon{n}", password=PASSWORD,
                       real_name=f"监测用户{n}", mobile=f"1390000{n:04d}",
                       organisation=organisation, acting_user=None, groups=groups,
                       is_superuser=is_superuser)


def client_for(user: Any) -> Client:
    """A test client logged into the admin as `user` (second factor passed)."""
    return testing.login_verified(Client(), user)


def serve_site_at(profile: Any, port: int) -> None:
    """Point a registered site's Wagtail hostname (localhost) at a loopback port."""
    Site.objects.filter(pk=profile.site_id).update(hostname="localhost", port=port)
    profile.site.refresh_from_db()


def county_with_site(city: Any) -> tuple[Any, Any]:
    """示例县人民政府 under the city's government, with its own county site."""
    county = testing.make_organisation("示例县人民政府", kind="government", parent=city)
    site = testing.make_site(name="示例县人民政府", kind="county", organisation=county,
                             domain="www.shilixian.gov.cn", hostname="xian.localhost",
                             is_default=False)
    return county, site
