"""External identity providers for citizen accounts (PA-15): the provincial 统一身份认证.

The platform signs a citizen in with an OpenID Connect-style provider (authorization code,
then the token and userinfo endpoints) configured in `GOVSITES_CITIZEN_IDP`:

    GOVSITES_CITIZEN_IDP = {
        "backend": "oidc", "name": "gd-unified", "label": "广东政务服务网统一身份认证",
        "authorization_endpoint": "https://…/authorize", "token_endpoint": "https://…/token",
        "userinfo_endpoint": "https://…/userinfo", "client_id": "…", "client_secret": "…",
        "allowed_networks": ["10.20.0.0/16"],
    }

The platform only ever talks to loopback addresses unless `allowed_networks` lists the
provider's (the browser is sent to the authorization endpoint; the server calls the token and
userinfo endpoints, and refuses any other address before connecting). `{"backend":
"development"}` makes the platform play the provider itself (a form asking for a name), for
development and demonstrations; it is refused in production.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError

DEV_SALT = "govsites.accounts.citizen.dev-idp"
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class ExternalIdentity:
    provider: str
    subject: str
    display_name: str


class IdentityProvider(Protocol):
    name: str
    label: str

    def authorization_url(self, *, redirect_uri: str, state: str) -> str: ...

    def identity(self, *, code: str, redirect_uri: str) -> ExternalIdentity: ...


def check_address(url: str, allowed_networks: list[str]) -> None:
    """Refuse a URL whose host resolves to anything but loopback or an allowed network."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        networks = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
    except ValueError as exc:
        raise ImproperlyConfigured(f"GOVSITES_CITIZEN_IDP allowed_networks: {exc}") from exc
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(f"统一身份认证平台地址 {host} 无法解析。") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address.is_loopback or any(address in n for n in networks):
            continue
        raise ValidationError(f"统一身份认证平台地址 {host}（{address}）不在允许的网络范围内，"
                              "未连接。请在 allowed_networks 中登记。")


class OIDCProvider:
    """A provider speaking OpenID Connect's authorization-code flow."""

    def __init__(self, config: dict[str, Any]) -> None:
        missing = [k for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                               "client_id") if not config.get(k)]
        if missing:
            raise ImproperlyConfigured(f"GOVSITES_CITIZEN_IDP 缺少 {', '.join(missing)}")
        self.config = config
        self.name = str(config.get("name") or "oidc")
        self.label = str(config.get("label") or "统一身份认证")
        self.allowed = list(config.get("allowed_networks") or [])

    def authorization_url(self, *, redirect_uri: str, state: str) -> str:
        query = urllib.parse.urlencode({
            "response_type": "code", "client_id": self.config["client_id"],
            "redirect_uri": redirect_uri, "scope": "openid profile", "state": state})
        return f"{self.config['authorization_endpoint']}?{query}"

    def _call(self, request: urllib.request.Request) -> dict[str, Any]:
        check_address(request.full_url, self.allowed)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                data = json.loads(response.read(1_000_000).decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"统一身份认证平台没有正常应答：{exc}") from None
        if not isinstance(data, dict):
            raise ValidationError("统一身份认证平台的应答格式不正确。")
        return data

    def identity(self, *, code: str, redirect_uri: str) -> ExternalIdentity:
        body = urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": self.config["client_id"],
            "client_secret": self.config.get("client_secret", "")}).encode()
        token = self._call(urllib.request.Request(
            self.config["token_endpoint"], data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/json"}))
        access = token.get("access_token")
        if not access:
            raise ValidationError("统一身份认证平台没有给出访问令牌。")
        info = self._call(urllib.request.Request(
            self.config["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {access}", "Accept": "application/json"}))
        subject = str(info.get("sub") or "")
        if not subject:
            raise ValidationError("统一身份认证平台没有给出用户标识。")
        name = str(info.get("name") or info.get("nickname") or "")[:30] or "公众用户"
        return ExternalIdentity(self.name, subject, name)


class DevelopmentProvider:
    """The platform plays the provider: a form asks for a name (never in production)."""

    name = "development"
    label = "开发用身份认证"

    def __init__(self) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("开发用身份认证不能在生产环境使用")

    def authorization_url(self, *, redirect_uri: str, state: str) -> str:
        query = urllib.parse.urlencode({"redirect_uri": redirect_uri, "state": state})
        return f"/_govsites/account/idp/dev/?{query}"

    @staticmethod
    def code_for(name: str) -> str:
        return signing.dumps(name, salt=DEV_SALT)

    def identity(self, *, code: str, redirect_uri: str) -> ExternalIdentity:
        try:
            name = str(signing.loads(code, salt=DEV_SALT, max_age=300))
        except signing.BadSignature:
            raise ValidationError("授权码无效。") from None
        return ExternalIdentity(self.name, name, name[:30])


def configured_provider() -> IdentityProvider | None:
    """The provider `GOVSITES_CITIZEN_IDP` names, or None when there is none."""
    config = getattr(settings, "GOVSITES_CITIZEN_IDP", None)
    if not config:
        return None
    backend = config.get("backend")
    if backend == "development":
        return DevelopmentProvider()
    if backend == "oidc":
        return OIDCProvider(config)
    raise ImproperlyConfigured(f"GOVSITES_CITIZEN_IDP backend {backend!r} 未知")
