"""Builders for the interaction tests: a portal with a 市长信箱, handlers and approvers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group

from govsites import testing
from govsites.accounts.roles import Role, group_name

PASSWORD = "Zhengwu#2026!Strong"
_numbers = itertools.count(1)


def make_user(organisation: Any, *roles: Role, username: str | None = None) -> Any:
    """An account made through the accounts service, holding the roles' groups."""
    from govsites.accounts.services import create_user

    n = next(_numbers)
    groups = [Group.objects.get(name=group_name(r)) for r in roles]
    return create_user(username=username or f"hd{n}", password=PASSWORD,
                       real_name=f"办理人{n}", mobile=f"1370000{n:04d}",
                       organisation=organisation, acting_user=None, groups=groups)


@pytest.fixture
def mailbox(portal: Any) -> Any:
    from govsites.interaction.models import Mailbox

    return Mailbox.objects.create(site=portal, organisation=portal.host_organisation,
                                  name="市长信箱", slug="mayor", kind="leader")


@pytest.fixture
def education(portal: Any) -> Any:
    return testing.make_organisation("示例市教育局", kind="department",
                                     parent=portal.host_organisation)


@pytest.fixture
def clerk(portal: Any) -> Any:
    """A 信息员 of the portal's organisation (drafts, accepts, transfers)."""
    return make_user(portal.host_organisation, Role.EDITOR)


@pytest.fixture
def approver(portal: Any) -> Any:
    return make_user(portal.host_organisation, Role.REVIEWER)


def write(mailbox: Any, **overrides: Any) -> Any:
    """Submit a message the way the public form does; returns services.Submitted."""
    from govsites.interaction import services

    fields: dict[str, Any] = {
        "kind": "consult", "subject": "关于学校招生的咨询",
        "content": "请问今年小学招生何时报名？", "name": "王小明", "mobile": "13812345678",
        "email": "wang@example.com", "publish_allowed": True,
    }
    fields.update(overrides)
    return services.submit_enquiry(mailbox=mailbox, **fields)
