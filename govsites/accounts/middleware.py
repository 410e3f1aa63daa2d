"""Request-time account rules: idle timeout, the second factor, password expiry.

Put them after AuthenticationMiddleware and MessageMiddleware, in this order:

    "govsites.accounts.middleware.AuditActorMiddleware",
    "govsites.accounts.middleware.IdleSessionTimeoutMiddleware",
    "govsites.accounts.middleware.TwoFactorMiddleware",
    "govsites.accounts.middleware.PasswordExpiryMiddleware",

Only the admin (everything under the admin URL prefix) is guarded; public pages are open.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import totp
from .context import reset_actor, set_actor
from .handlers import LOGOUT_REASON_ATTR

LAST_ACTIVITY_KEY = "govsites_last_activity"

Handler = Callable[[HttpRequest], HttpResponse]


def _admin_prefix() -> str:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:  # pragma: no cover - the admin is always installed
        return "/admin/"


def _is_admin(request: HttpRequest) -> bool:
    return request.path.startswith(_admin_prefix())


def _path_in(request: HttpRequest, url_names: tuple[str, ...]) -> bool:
    for name in url_names:
        try:
            if request.path.startswith(reverse(name)):
                return True
        except NoReverseMatch:
            continue
    return False


#: Requests an open admin page sends by itself, not the person: Wagtail's editor pings its
#: editing session every 10 s (WAGTAIL_EDITING_SESSION_PING_INTERVAL) and releases it when the
#: page closes. They must not move the idle clock, or an open edit page keeps the session alive
#: for ever; they still end a session that has been idle too long.
PASSIVE_VIEWS = frozenset({"wagtailadmin_editing_sessions:ping",
                           "wagtailadmin_editing_sessions:release"})


def _is_passive(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).view_name in PASSIVE_VIEWS
    except Resolver404:
        return False


# Pages a user must still reach while a rule holds them back (and assets those pages load).
ALWAYS_OPEN = ("wagtailadmin_logout", "wagtailadmin_login", "wagtailadmin_javascript_catalog",
               "wagtailadmin_sprite", "wagtailadmin_password_reset")


class AuditActorMiddleware:
    """Make the request's user known to records written without the request (password saves)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = set_actor(user if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)


def idle_limit_seconds() -> int:
    """Idle minutes before an admin session ends (GOVSITES_SESSION_IDLE_MINUTES; 0 disables)."""
    minutes = int(settings.GOVSITES_SESSION_IDLE_MINUTES)
    return max(minutes, 0) * 60


class IdleSessionTimeoutMiddleware:
    """Log out an admin user who has done nothing for the idle limit.

    Only the person's own requests count as activity, not those in PASSIVE_VIEWS.
    """

    def __init__(self, get_response: Handler, clock: Callable[[], float] = time.time) -> None:
        self.get_response = get_response
        self.clock = clock

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        limit = idle_limit_seconds()
        if user is not None and user.is_authenticated and limit and _is_admin(request):
            now = self.clock()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - float(last) > limit:
                setattr(request, LOGOUT_REASON_ATTR, "idle")
                logout(request)
                messages.warning(request, _("长时间未操作，已自动退出，请重新登录。"))
                return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
            if last is None or not _is_passive(request):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Hold users who need TOTP at enrolment or verification until they pass it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .models import TOTPDevice
        from .policies import requires_totp

        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated or not _is_admin(request)
                or totp.session_verified(request)
                or _path_in(request, (*ALWAYS_OPEN, "govsites_accounts:totp_verify",
                                      "govsites_accounts:totp_setup"))
                or not requires_totp(user)):
            return self.get_response(request)
        enrolled = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        target = "govsites_accounts:totp_verify" if enrolled else "govsites_accounts:totp_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


class PasswordExpiryMiddleware:
    """Send a user whose password has expired to the password panel until they change it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .passwords import password_expired

        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated or not _is_admin(request)
                or _path_in(request, (*ALWAYS_OPEN, "govsites_accounts:password_change",
                                      "govsites_accounts:totp_verify",
                                      "govsites_accounts:totp_setup"))
                or not password_expired(user)):
            return self.get_response(request)
        messages.warning(request, _("密码已超过有效期，请先修改密码。"))
        target = reverse("govsites_accounts:password_change")
        return redirect(f"{target}?next={request.get_full_path()}")
