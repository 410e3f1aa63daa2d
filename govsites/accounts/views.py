"""Admin views: TOTP enrolment and verification, and the departure (离岗交接) action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import policies, services, totp
from .exceptions import DepartureRefused
from .forms import DepartureForm, TOTPCodeForm
from .handlers import LOGOUT_REASON_ATTR
from .models import TOTPDevice, User
from .passwords import password_expired


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("wagtailadmin_home")


def _passed(request: HttpRequest) -> HttpResponse:
    request.session.cycle_key()
    request.session[totp.SESSION_VERIFIED_KEY] = True
    return redirect(_next_url(request))


def totp_setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret (and QR code); enable TOTP once the user types a valid code."""
    user = request.user
    assert isinstance(user, User)
    existing = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if existing is not None:
        return redirect(f"{reverse('govsites_accounts:totp_verify')}?next={_next_url(request)}")
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp(user=user, code=form.cleaned_data["code"], request=request):
            messages.success(request, _("双因素认证已启用。"))
            return _passed(request)
        form.add_error("code", _("验证码不正确或已使用，请等待验证器刷新后重试。"))
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None or request.method == "GET":
        device = services.start_totp_enrolment(user=user)
    uri = totp.provisioning_uri(secret=device.secret, username=user.get_username())
    return TemplateResponse(request, "accounts/totp_setup.html", {
        "form": form, "secret": device.secret, "uri": uri, "qr_svg": totp.qr_svg(uri),
        "next": _next_url(request), "required": policies.requires_totp(user),
    })


def totp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current TOTP code after the password; too many failures lock the account."""
    user = request.user
    assert isinstance(user, User)
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_totp(user=user, code=form.cleaned_data["code"], request=request):
            return _passed(request)
        if services.locked_until(user.get_username()) is not None:
            setattr(request, LOGOUT_REASON_ATTR, "totp_locked")
            logout(request)
            messages.error(request, _("动态验证码连续错误次数过多，账号已被锁定。"))
            return redirect("wagtailadmin_login")
        form.add_error("code", _("验证码不正确或已使用，请重试。"))
    return TemplateResponse(request, "accounts/totp_verify.html",
                            {"form": form, "next": _next_url(request)})


def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (where an expired password sends the user)."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=user, password=form.cleaned_data["new_password1"],
                                 acting_user=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request))
    return TemplateResponse(request, "accounts/password_change.html", {
        "form": form, "next": _next_url(request),
        "expired": password_expired(user),
    })


def organisation_accounts(request: HttpRequest) -> HttpResponse:
    """本单位账号: a site administrator's list of colleagues, with unlock and TOTP reset."""
    from .selectors import organisation_accounts as rows_for

    user = request.user
    if not policies.can_list_organisation_accounts(user):
        raise PermissionDenied
    assert isinstance(user, User) and user.organisation_id is not None
    if request.method == "POST":
        target = get_object_or_404(User, pk=request.POST.get("user"))
        if not policies.can_manage_account(user, target):
            raise PermissionDenied
        if request.POST.get("action") == "unlock":
            services.unlock_username(username=target.get_username(), acting_user=user)
            messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": target})
        elif request.POST.get("action") == "reset_totp":
            services.reset_totp(user=target, acting_user=user)
            messages.success(request, _("已重置 %(name)s 的双因素认证。") % {"name": target})
        return redirect("govsites_accounts:organisation_accounts")
    return TemplateResponse(request, "accounts/organisation_accounts.html", {
        "rows": rows_for(user.organisation_id), "page_title": _("本单位账号"),
        "header_icon": "group",
    })


def departure(request: HttpRequest, user_id: int) -> HttpResponse:
    """离岗交接: disable an account and hand its columns and reviews to a colleague."""
    leaver = get_object_or_404(User, pk=user_id)
    if not policies.can_handle_departure(request.user, leaver):
        raise PermissionDenied
    form = DepartureForm(request.POST or None, leaver=leaver)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.handle_departure(
                user=leaver, successor=form.cleaned_data["successor"],
                acting_user=request.user, reason=form.cleaned_data["reason"])
        except DepartureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("%(name)s 的账号已停用：%(columns)d 个栏目、%(reviews)d 项待审任务已交接。")
                             % {"name": leaver, "columns": len(result.columns),
                                "reviews": len(result.pending_reviews)})
            if result.successor_missing_roles:
                messages.warning(request, _("接替人尚无以下角色，相关待审任务可能无法办理：%(roles)s")
                                 % {"roles": "、".join(result.successor_missing_roles)})
            return redirect("wagtailusers_users:index")
    from .selectors import pending_reviews_for, responsible_columns_for

    return TemplateResponse(request, "accounts/departure.html", {
        "form": form, "leaver": leaver, "page_title": _("离岗交接"), "header_icon": "user",
        "columns": responsible_columns_for(leaver), "pending": pending_reviews_for(leaver),
    })
