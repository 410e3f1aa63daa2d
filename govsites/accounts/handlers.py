"""Receivers (connected in AccountsConfig.ready): authentication events, which Django signals,
and the password history of writes that Django or Wagtail perform themselves."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save

from . import totp

#: Views set this attribute on the request before logging a user out for a reason.
LOGOUT_REASON_ATTR = "_govsites_logout_reason"
#: The login form sets this when the login itself proved the second factor (unlock by TOTP).
SECOND_FACTOR_PASSED_ATTR = "_govsites_second_factor_passed"


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .services import record_login

    if request is not None and hasattr(request, "session"):
        if getattr(request, SECOND_FACTOR_PASSED_ATTR, False):
            request.session[totp.SESSION_VERIFIED_KEY] = True
        else:
            request.session.pop(totp.SESSION_VERIFIED_KEY, None)
    record_login(user=user, request=request)


def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                     **kwargs: Any) -> None:
    from .services import record_login_failure

    username = str(credentials.get("username", "") or "")
    if not username:
        return
    record_login_failure(username=username, request=request)


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .services import record_logout

    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON_ATTR, "user") if request is not None else "user"
    record_logout(user=user, reason=reason, request=request)


#: Services set this on a user they save with a new password: they keep its history themselves.
SERVICE_WRITE_ATTR = "_govsites_password_by_service"


def _password_set_outside_services(sender: Any, instance: Any, raw: bool = False,
                                   **kwargs: Any) -> None:
    """Mark a password that Django or Wagtail sets itself before the save hides it."""
    if raw or getattr(instance, SERVICE_WRITE_ATTR, False):
        return
    adding = instance._state.adding
    # set_password() keeps the raw password in `_password` for a real change only (a hasher
    # upgrade at login clears it); UserManager.create_user() assigns a hash without it.
    instance._govsites_password_changed = getattr(instance, "_password", None) is not None or (
        adding and bool(instance.password) and instance.password_changed_at is None)


def _remember_password_set_outside_services(sender: Any, instance: Any, created: bool = False,
                                            raw: bool = False, **kwargs: Any) -> None:
    """Keep history and the expiry clock where Django or Wagtail writes the password itself.

    Wagtail's own account page (its password panel) and Django's createsuperuser and
    UserManager save the user without our services; the platform's own paths (the user
    admin, the password page, account creation) go through accounts.services, which keep
    the history and write the one audit record themselves.
    """
    if raw or not getattr(instance, "_govsites_password_changed", False):
        return
    instance._govsites_password_changed = False
    from .passwords import remember_password_change

    # A new account's first password is part of its creation, not a change.
    remember_password_change(instance, audited=not created)


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="accounts.audit_login")
    user_login_failed.connect(_on_login_failed, dispatch_uid="accounts.audit_login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid="accounts.audit_logout")
    from .models import User

    pre_save.connect(_password_set_outside_services, sender=User,
                     dispatch_uid="accounts.password_outside_services")
    post_save.connect(_remember_password_set_outside_services, sender=User,
                      dispatch_uid="accounts.remember_password_outside_services")
