"""Who may change the rule set: platform administrators (the override permission)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

CHANGE_PERMISSION = "govsites_rules.change_ruleoverride"


def can_change_rules(user: Any) -> bool:
    """Say whether a user may override rule values and choose variants (平台管理员)."""
    if user is None:
        return False
    if not getattr(user, "is_active", False):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm(CHANGE_PERMISSION))


def can_read_rules(user: Any) -> bool:
    """Say whether a user may read the rule list in the admin (anyone who may use the admin)."""
    if user is None:
        return False
    if not getattr(user, "is_active", False):
        return False
    return bool(user.has_perm("wagtailadmin.access_admin"))


def require_rule_editor(user: Any) -> None:
    """Refuse a change by anyone but a platform administrator; `None` is the system itself
    (data migrations, management commands run by the operator)."""
    if user is None:
        return
    if not can_change_rules(user):
        raise PermissionDenied("只有平台管理员可以调整规则。")
