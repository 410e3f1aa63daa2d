"""Authentication backend that refuses a blocked address or a locked username before checking
the password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied


class LockoutModelBackend(ModelBackend):
    """ModelBackend plus the lockout: a locked username, or any username from a blocked client
    address, cannot log in, even with the password.

    Raising PermissionDenied stops Django trying other backends and sends user_login_failed,
    so the attempt is audited like any other failure. The password is still hashed once so a
    locked username takes as long to answer as any other.
    """

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        from .services import address_blocked_until, locked_until

        if username is None:
            username = kwargs.get("username")
        if (address_blocked_until(request) is not None
                or (username and locked_until(username) is not None)):
            make_password(password)
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
