"""Password rules of 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别).

The validators plug into AUTH_PASSWORD_VALIDATORS, so Wagtail's user forms, its password
change panel and `changepassword` all apply them. History and the expiry clock are kept by
`User.save()` through `remember_password_change`, however the password was set.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_MIN_LENGTH = 8
DEFAULT_MIN_CLASSES = 3
DEFAULT_HISTORY = 5
DEFAULT_MAX_AGE_DAYS = 90


def _classes(password: str) -> int:
    """Count the character classes used: lower case, upper case, digits, other symbols."""
    has_lower = any(c in string.ascii_lowercase for c in password)
    has_upper = any(c in string.ascii_uppercase for c in password)
    has_digit = any(c.isdigit() for c in password)
    has_other = any(not (c in string.ascii_letters or c.isdigit()) for c in password)
    return sum((has_lower, has_upper, has_digit, has_other))


class CharacterClassesValidator:
    """Require at least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = DEFAULT_MIN_CLASSES) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_error_message(), code="password_too_simple")

    def get_error_message(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、特殊符号中的 %(n)d 类。") % {
            "n": self.min_classes}

    def get_help_text(self) -> str:
        return self.get_error_message()


class UsernameNotContainedValidator:
    """Refuse a password that contains the username (in any letter case)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.casefold() in password.casefold():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Refuse any of the user's last `history` passwords (the current one included)."""

    def __init__(self, history: int = DEFAULT_HISTORY) -> None:
        self.history = history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        for old_hash in recent_password_hashes(user, self.history):
            if check_password(password, old_hash):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return ngettext("新密码不能与最近 %(n)d 次使用的密码相同。",
                        "新密码不能与最近 %(n)d 次使用的密码相同。",
                        self.history) % {"n": self.history}


def history_length() -> int:
    """How many past passwords are kept and refused (setting GOVSITES_PASSWORD_HISTORY)."""
    return int(getattr(settings, "GOVSITES_PASSWORD_HISTORY", DEFAULT_HISTORY))


def recent_password_hashes(user: Any, count: int) -> list[str]:
    """Return the hashes of the user's last `count` passwords, newest first."""
    from .models import PasswordHistory

    hashes = list(PasswordHistory.objects.filter(user_id=user.pk)
                  .values_list("password", flat=True)[:count])
    current = getattr(user, "password", "")
    if current and current not in hashes:
        hashes.insert(0, current)
    return hashes[:count]


def remember_password_change(user: Any, *, audited: bool = True) -> None:
    """Record a newly set password: history row, change time and (unless new) an audit record."""
    from django.db import transaction

    from govsites.core import audit

    from .context import current_actor
    from .models import PasswordHistory, User

    now = timezone.now()
    with transaction.atomic():
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = list(PasswordHistory.objects.filter(user_id=user.pk)
                    .values_list("pk", flat=True)[:max(history_length(), 1)])
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now
        if not audited:
            return
        actor = current_actor() or user
        audit.record(action="accounts.password.change", actor=actor, obj=user,
                     organisation=user.organisation_id,
                     details={"by_self": getattr(actor, "pk", None) == user.pk})


def max_age() -> dt.timedelta | None:
    """Return how long a password stays valid (GOVSITES_PASSWORD_MAX_AGE_DAYS; 0 disables)."""
    days = int(getattr(settings, "GOVSITES_PASSWORD_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))
    return dt.timedelta(days=days) if days > 0 else None


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    """Say whether a user must change their password before doing anything else."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not user.has_usable_password():
        return False
    limit = max_age()
    if limit is None:
        return False
    changed = user.password_changed_at
    if changed is None:
        return True
    return (now or timezone.now()) >= changed + limit
