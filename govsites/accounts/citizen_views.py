"""Public pages of citizen accounts (PA-15): 注册, 登录 (once for the cluster), 退出, 我的账号.

Registration and the login form live on the portal; another site of the cluster sends the
reader there and gets them back through a one-time ticket (accounts/citizens.py).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from govsites.core import ratelimit
from govsites.sites.selectors import profile_for_request

from . import citizens, identity

BASE = "/_govsites/account/"


class LoginForm(forms.Form):
    login = forms.CharField(label="电子邮箱或手机号码", max_length=254)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, max_length=128)


class RegisterForm(LoginForm):
    display_name = forms.CharField(label="昵称", max_length=30)


def _host(request: HttpRequest) -> str:
    return request.get_host().rsplit(":", 1)[0].lower()


def _origin(request: HttpRequest, host: str) -> str:
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    return f"{request.scheme}://{host}" + ("" if port == default else f":{port}")


def _portal_host() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    return site.hostname.lower() if site else "localhost"


def _cluster_hosts() -> set[str]:
    return {h.lower() for h in Site.objects.values_list("hostname", flat=True)}


def _local_path(value: str) -> str:
    """A path on this host (never another host, never //evil)."""
    return value if value.startswith("/") and not value.startswith("//") else "/"


def _finish(request: HttpRequest, account: Any, target: str) -> HttpResponse:
    """Send a logged-in reader on: to a path here, or through a ticket to another site."""
    parts = urlsplit(target)
    host = (parts.hostname or "").lower()
    if not parts.netloc or host == _host(request):
        return HttpResponseRedirect(_local_path(parts.path or "/") + (
            f"?{parts.query}" if parts.query and parts.netloc else ""))
    if host not in _cluster_hosts():
        return HttpResponseRedirect("/")
    query = urlencode({"ticket": citizens.handoff_ticket(account, host),
                       "next": _local_path(parts.path or "/")})
    return HttpResponseRedirect(f"{_origin(request, host)}{BASE}sso/?{query}")


def _to_portal(request: HttpRequest, view: str) -> HttpResponse | None:
    """On a site other than the portal: go to the portal's page, coming back here after."""
    portal = _portal_host()
    if _host(request) == portal:
        return None
    back = _origin(request, _host(request)) + _local_path(request.GET.get("next", "/"))
    return HttpResponseRedirect(f"{_origin(request, portal)}{BASE}{view}/?"
                                + urlencode({"next": back}))


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "accounts/citizen_message.html", {
        "page": None, "site_profile": profile_for_request(request), "title": "尝试过于频繁",
        "message": f"尝试过于频繁，请 {wait} 秒后再试。"}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _wait(request: HttpRequest) -> int:
    return ratelimit.seconds_to_wait(
        request, scope="accounts.citizen.login",
        limit=citizens.login_attempts_per_minute(profile_for_request(request)))


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """登录: on the portal; a reader already logged in there passes straight through."""
    elsewhere = _to_portal(request, "login")
    if elsewhere is not None:
        return elsewhere
    target = request.POST.get("next") or request.GET.get("next") or "/"
    account = citizens.current_citizen(request)
    if account is not None:
        return _finish(request, account, target)
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        wait = _wait(request)
        if wait:
            return _too_many(request, wait)
        if form.is_valid():
            account = citizens.authenticate_citizen(login=form.cleaned_data["login"],
                                                    password=form.cleaned_data["password"])
            if account is None:
                form.add_error(None, "账号或密码不正确。")
            else:
                citizens.sign_in(request, account)
                return _finish(request, account, target)
    return _form_page(request, form, target, action="登录", other_prompt="还没有账号？",
                      other_path="register", other_action="注册")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """注册: one account for every site of the cluster (made on the portal)."""
    elsewhere = _to_portal(request, "register")
    if elsewhere is not None:
        return elsewhere
    target = request.POST.get("next") or request.GET.get("next") or "/"
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        wait = _wait(request)
        if wait:
            return _too_many(request, wait)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = citizens.register_citizen(login=data["login"],
                                                    password=data["password"],
                                                    display_name=data["display_name"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                citizens.sign_in(request, account)
                return _finish(request, account, target)
    return _form_page(request, form, target, action="注册", other_prompt="已有账号？",
                      other_path="login", other_action="登录")


def _form_page(request: HttpRequest, form: forms.Form, target: str, **words: str) -> HttpResponse:
    """The login and registration page (one template: the action and the way to the other)."""
    return render(request, "accounts/citizen_form.html", {
        "page": None, "site_profile": profile_for_request(request), "form": form,
        "next": target, **words}, status=400 if form.errors else 200)


@require_GET
def sso(request: HttpRequest) -> HttpResponse:
    """The portal's ticket: log the reader in on this site and go on to the page."""
    try:
        account = citizens.redeem_ticket(request.GET.get("ticket", ""), _host(request))
    except ValidationError as exc:
        return render(request, "accounts/citizen_message.html", {
            "page": None, "site_profile": profile_for_request(request), "title": "无法登录",
            "message": " ".join(exc.messages)}, status=400)
    citizens.sign_in(request, account)
    return HttpResponseRedirect(_local_path(request.GET.get("next", "/")))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    citizens.sign_out(request)
    return HttpResponseRedirect("/")


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """我的账号."""
    account = citizens.current_citizen(request)
    if account is None:
        return HttpResponseRedirect(f"{BASE}login/?" + urlencode({"next": f"{BASE}me/"}))
    return render(request, "accounts/citizen_me.html", {
        "page": None, "site_profile": profile_for_request(request), "account": account})


# --- 统一身份认证: an external identity provider (accounts/identity.py) ---

IDP_STATE = "govsites_citizen_idp_state"


def _callback_uri(request: HttpRequest) -> str:
    return _origin(request, _host(request)) + f"{BASE}idp/callback/"


@require_GET
def idp_start(request: HttpRequest) -> HttpResponse:
    """Send the reader to the configured 统一身份认证 platform (from the portal)."""
    elsewhere = _to_portal(request, "idp/start")
    if elsewhere is not None:
        return elsewhere
    provider = identity.configured_provider()
    if provider is None:
        raise Http404("未配置统一身份认证")
    state = secrets.token_urlsafe(24)
    request.session[IDP_STATE] = {"state": state, "next": request.GET.get("next", "/")}
    return HttpResponseRedirect(provider.authorization_url(redirect_uri=_callback_uri(request),
                                                           state=state))


@require_GET
def idp_callback(request: HttpRequest) -> HttpResponse:
    """The platform's answer: check the state, fetch the identity, sign the reader in."""
    provider = identity.configured_provider()
    if provider is None:
        raise Http404("未配置统一身份认证")
    saved = request.session.pop(IDP_STATE, None) or {}
    if not saved.get("state") or not secrets.compare_digest(
            str(saved["state"]), request.GET.get("state", "")):
        return _message(request, "无法登录", "登录请求已失效或不是从本网站发起，请重新登录。")
    try:
        found = provider.identity(code=request.GET.get("code", ""),
                                  redirect_uri=_callback_uri(request))
        account = citizens.sign_in_external(identity=found)
    except ValidationError as exc:
        return _message(request, "无法登录", " ".join(exc.messages))
    citizens.sign_in(request, account)
    return _finish(request, account, str(saved.get("next") or "/"))


@require_http_methods(["GET", "POST"])
def idp_development(request: HttpRequest) -> HttpResponse:
    """The development provider's own page: type a name, come back with a code."""
    provider = identity.configured_provider()
    if not isinstance(provider, identity.DevelopmentProvider):
        raise Http404("未使用开发用身份认证")
    redirect_uri = request.GET.get("redirect_uri", "")
    if urlsplit(redirect_uri).path != f"{BASE}idp/callback/" or \
            (urlsplit(redirect_uri).hostname or "").lower() not in _cluster_hosts():
        return _message(request, "无法登录", "回调地址不属于本站群。")
    name = request.POST.get("name", "").strip()[:30]
    if request.method == "POST" and name:
        query = urlencode({"code": identity.DevelopmentProvider.code_for(name),
                           "state": request.GET.get("state", "")})
        return HttpResponseRedirect(f"{redirect_uri}?{query}")
    return render(request, "accounts/citizen_dev_idp.html", {
        "page": None, "site_profile": profile_for_request(request)})


def _message(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return render(request, "accounts/citizen_message.html", {
        "page": None, "site_profile": profile_for_request(request), "title": title,
        "message": message}, status=400)
