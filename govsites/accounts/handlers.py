"""Receivers that audit every authentication event (connected in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

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


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="accounts.audit_login")
    user_login_failed.connect(_on_login_failed, dispatch_uid="accounts.audit_login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid="accounts.audit_logout")
