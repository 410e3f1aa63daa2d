"""Writes for accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from govsites.core import audit

from .models import User


def create_user(
    *,
    username: str,
    password: str,
    real_name: str,
    mobile: str,
    organisation: Any,
    acting_user: Any,
    groups: list[Group] | None = None,
    is_superuser: bool = False,
    email: str = "",
) -> User:
    """Create a personal account tied to one organisation."""
    with transaction.atomic():
        user = User(username=username, real_name=real_name, mobile=mobile,
                    organisation=organisation, email=email, is_superuser=is_superuser,
                    is_staff=True)
        user.set_password(password)
        user.full_clean()
        user.save()
        if groups:
            user.groups.set(groups)
        audit.record(action="accounts.user.create", actor=acting_user, obj=user,
                     organisation=organisation,
                     details={"username": username, "groups": [g.name for g in groups or []]})
    return user
