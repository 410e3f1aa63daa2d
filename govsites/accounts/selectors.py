"""Reads for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import User
from .roles import Role, group_name


def users_with_role(role: Role | str, organisation: Any) -> QuerySet[User]:
    """Active users holding a role in exactly this organisation."""
    return User.objects.filter(is_active=True, organisation=organisation,
                               groups__name=group_name(role)).distinct()


def has_role(user: Any, role: Role | str) -> bool:
    """Say whether a user holds a role (in their own organisation)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.groups.filter(name=group_name(role)).exists())
