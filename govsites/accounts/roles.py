"""The platform's roles. A role is a Django group; its scope is the user's organisation.

One group per role (not per department) keeps the permission tables small; which items a
user may act on follows from `user.organisation` (see policies.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("信息员")
    REVIEWER = "reviewer", _("审核负责人")
    DEPUTY_HEAD = "deputy_head", _("分管领导")
    HEAD = "head", _("主要领导")
    SITE_ADMIN = "site_admin", _("站点管理员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    SUPERVISOR = "supervisor", _("监管员")
    DUTY_OFFICER = "duty_officer", _("值班员")


def group_name(role: Role | str) -> str:
    """Return the Django group name that carries a role (its Chinese label)."""
    return str(Role(role).label)


#: Roles whose holders act on every organisation's sites (the rest act on their own only).
CLUSTER_WIDE_ROLES: frozenset[Role] = frozenset({Role.PLATFORM_ADMIN, Role.SUPERVISOR})

#: Roles that may read across the cluster but change nothing in the page tree.
READ_ONLY_ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR})

#: Roles that must pass a TOTP second factor before the admin is usable (等保 2.0 三级:
#: 双因素鉴别 for the people who approve, sign off and administer).
TOTP_REQUIRED_ROLES: frozenset[Role] = frozenset({
    Role.REVIEWER, Role.DEPUTY_HEAD, Role.HEAD, Role.SITE_ADMIN, Role.PLATFORM_ADMIN,
})


def role_for_group_name(name: str) -> Role | None:
    """Return the role a group carries, or None for a group that is not a role."""
    for role in Role:
        if str(role.label) == name:
            return role
    return None
