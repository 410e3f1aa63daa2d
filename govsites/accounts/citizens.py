"""Citizen accounts (PA-15): registration, login, and one login for the whole cluster.

Writes are atomic with one audit record each. The cluster's sites live on different domains,
so a browser cookie cannot carry a login from one to another: a reader logs in on the portal
(`portal_login_url`), and the portal hands the login to the site they came from with a signed
ticket (`handoff_ticket`) that is valid for two minutes, once, and only for that site's host
(`redeem_ticket`). A reader already logged in on the portal passes straight through, so one
login serves every site. The session key is not the staff one: a citizen is never a staff
user and a staff login never makes anyone a citizen.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from govsites.core import audit, crypto

from .citizen_models import CitizenAccount
from .models import MOBILE_VALIDATOR

SESSION_KEY = "govsites_citizen_id"
GENERATION_KEY = "govsites_citizen_generation"
LOGIN_PURPOSE = "accounts.citizen.login"
TICKET_SALT = "govsites.accounts.citizen.handoff"
TICKET_MAX_AGE = 120
#: The staff rules that need no staff user: length, character classes, common passwords.
PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "govsites.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "govsites.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]


def normalise_login(login: str) -> str:
    """An e-mail address (domain lower-cased) or an 11-digit mainland mobile number."""
    login = (login or "").strip()
    if "@" in login:
        try:
            validate_email(login)
        except ValidationError:
            raise ValidationError({"login": "请填写有效的电子邮箱或11位手机号码。"}) from None
        return login.lower()
    try:
        MOBILE_VALIDATOR(login)
    except ValidationError:
        raise ValidationError({"login": "请填写有效的电子邮箱或11位手机号码。"}) from None
    return login


def _digest(login: str) -> str:
    return crypto.keyed_digest(LOGIN_PURPOSE, login)


def register_citizen(*, login: str, password: str, display_name: str,
                     acting_user: Any = None) -> CitizenAccount:
    """Create a citizen account; a login already registered is refused in Chinese."""
    login = normalise_login(login)
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 30:
        raise ValidationError({"display_name": "请填写不超过30个字的昵称。"})
    try:
        validate_password(password, password_validators=get_password_validators(
            PASSWORD_VALIDATORS))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    try:
        with transaction.atomic():
            account = CitizenAccount.objects.create(
                login_digest=_digest(login), sealed_login=crypto.seal(login),
                display_name=display_name, password=make_password(password),
                created_at=timezone.now())
            audit.record(action="accounts.citizen.register", actor=acting_user, obj=account)
    except IntegrityError:
        raise ValidationError({"login": "该邮箱或手机号码已注册，请直接登录。"}) from None
    return account


def authenticate_citizen(*, login: str, password: str) -> CitizenAccount | None:
    """The active account with this login and password, else None (same cost either way)."""
    try:
        digest = _digest(normalise_login(login))
    except ValidationError:
        digest = ""
    account = CitizenAccount.objects.filter(login_digest=digest, is_active=True).first()
    if account is None:
        make_password(password)  # spend the same time as a real check
        return None
    return account if check_password(password, account.password) else None


def sign_in(request: Any, account: CitizenAccount) -> None:
    """Start a citizen session on this host (a fresh session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = account.pk
    request.session[GENERATION_KEY] = account.session_generation
    CitizenAccount.objects.filter(pk=account.pk).update(last_login_at=timezone.now())


def sign_out(request: Any, *, acting_user: Any = None) -> None:
    """退出 on this site and, through the account's login generation, on every site of the
    cluster: the sessions other sites hold and any ticket not yet redeemed stop counting."""
    account = current_citizen(request)
    request.session.pop(SESSION_KEY, None)
    request.session.pop(GENERATION_KEY, None)
    request.session.cycle_key()
    if account is not None:
        with transaction.atomic():
            CitizenAccount.objects.filter(pk=account.pk).update(
                session_generation=F("session_generation") + 1)
            audit.record(action="accounts.citizen.logout", actor=acting_user, obj=account)


def current_citizen(request: Any) -> CitizenAccount | None:
    """The citizen logged in on this host, if any (and not logged out anywhere since)."""
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) is None:
        return None
    pk = session.get(SESSION_KEY)
    return CitizenAccount.objects.filter(
        pk=pk, is_active=True, session_generation=session.get(GENERATION_KEY, -1)).first()


def prefill(request: Any) -> dict[str, str]:
    """Initial values for a public form from the logged-in citizen: 姓名 from the nickname and
    the login as 手机号码 or 电子邮箱; empty when nobody is logged in. The reader may still
    change or clear them where the form lets them stay anonymous."""
    account = current_citizen(request)
    if account is None:
        return {}
    login = crypto.open_sealed(account.sealed_login)
    data = {"name": account.display_name}
    if ":" in login:  # an identity of the 统一身份认证 platform, not a mobile or address
        return data
    data["email" if "@" in login else "mobile"] = login
    data["contact"] = login
    return data


def handoff_ticket(account: CitizenAccount, host: str) -> str:
    """A ticket that logs `account` in on `host` (one use, two minutes)."""
    return signing.dumps({"a": account.pk, "h": host.lower(), "g": account.session_generation},
                         salt=TICKET_SALT)


def redeem_ticket(ticket: str, host: str) -> CitizenAccount:
    """The account a ticket names, if it was made for this host, is fresh and unused."""
    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("登录凭据已过期，请重新登录。") from None
    except signing.BadSignature:
        raise ValidationError("登录凭据无效。") from None
    if data.get("h") != host.lower():
        raise ValidationError("登录凭据不属于本网站。")
    account = CitizenAccount.objects.filter(pk=data.get("a"), is_active=True).first()
    if account is None:
        raise ValidationError("账号不存在或已停用。")
    if data.get("g") != account.session_generation:
        raise ValidationError("您已退出登录，请重新登录。")
    key = "citizen-ticket:" + hashlib.sha256(ticket.encode()).hexdigest()
    if not cache.add(key, 1, timeout=TICKET_MAX_AGE + 5):
        raise ValidationError("登录凭据已使用，请重新登录。")
    return account


def login_attempts_per_minute(site: Any = None) -> int:
    """Citizen login and registration attempts one client may make a minute (rule data)."""
    from govsites import rules

    return int(rules.value("citizen.login_attempts_per_minute", site=site))


def sign_in_external(*, identity: Any, acting_user: Any = None) -> CitizenAccount:
    """The citizen account of an identity the 统一身份认证 platform vouched for; made on
    first use (no password: such an account logs in only through the platform)."""
    key = f"{identity.provider}:{identity.subject}"  # ':' never occurs in a local login
    digest = _digest(key)
    account = CitizenAccount.objects.filter(login_digest=digest).first()
    if account is not None:
        if not account.is_active:
            raise ValidationError("账号已停用。")
        return account
    try:
        with transaction.atomic():
            account = CitizenAccount.objects.create(
                login_digest=digest, sealed_login=crypto.seal(key),
                display_name=identity.display_name or "公众用户",
                password=make_password(None), created_at=timezone.now())
            audit.record(action="accounts.citizen.register", actor=acting_user, obj=account,
                         details={"provider": identity.provider})
    except IntegrityError:  # the same first login twice at once
        account = CitizenAccount.objects.get(login_digest=digest)
    return account
