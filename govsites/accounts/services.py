"""Writes for accounts. Each service is atomic and writes exactly one audit record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit
from govsites.core.clientaddr import client_address

from . import totp
from .exceptions import DepartureRefused
from .handlers import SERVICE_WRITE_ATTR
from .models import LoginAddressCounter, LoginFailureCounter, TOTPDevice, User
from .passwords import remember_password_change
from .signals import user_departed


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
    """Create a personal account: real name, mobile and (unless superuser) an organisation."""
    with transaction.atomic():
        user = User(username=username, real_name=real_name.strip(), mobile=mobile.strip(),
                    organisation=organisation, email=email, is_superuser=is_superuser,
                    is_staff=True)
        if organisation is None and not is_superuser:
            raise ValidationError({"organisation": _("账号必须属于一个单位。")})
        user.full_clean(exclude=["password"])
        password_validation.validate_password(password, user)
        user.set_password(password)
        _save_keeping_history_here(user)
        remember_password_change(user, audited=False)  # part of the creation record
        if groups:
            user.groups.set(groups)
        audit.record(action="accounts.user.create", actor=acting_user, obj=user,
                     organisation=organisation,
                     details={"username": username, "groups": [g.name for g in groups or []]})
    return user


def _save_keeping_history_here(user: User) -> None:
    """Save a user whose password history this service keeps (the handler stands aside)."""
    setattr(user, SERVICE_WRITE_ATTR, True)
    try:
        user.save()
    finally:
        setattr(user, SERVICE_WRITE_ATTR, False)


#: Fields of an account that the user admin changes (the password has its own argument).
USER_FIELDS = ("username", "real_name", "mobile", "organisation", "email", "is_active",
               "is_superuser")


def update_user(*, user: User, acting_user: Any, password: str = "",
                groups: list[Group] | None = None, **changes: Any) -> User:
    """Change an account (the user admin's edit): validated, one `accounts.user.update` record.

    A new password passes the password rules and enters the history; groups, when given,
    replace the account's groups.
    """
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    with transaction.atomic():
        before = {k: str(getattr(user, k)) for k in changes}
        for key, value in changes.items():
            setattr(user, key, value)
        if user.organisation_id is None and not user.is_superuser:
            raise ValidationError({"organisation": _("账号必须属于一个单位。")})
        user.full_clean(exclude=["password"])
        if password:
            password_validation.validate_password(password, user)
            user.set_password(password)
        _save_keeping_history_here(user)
        if password:
            remember_password_change(user, audited=False)
        details: dict[str, Any] = {"before": before,
                                   "after": {k: str(v) for k, v in changes.items()},
                                   "password_changed": bool(password)}
        if groups is not None:
            details["groups"] = {"before": sorted(user.groups.values_list("name", flat=True)),
                                 "after": sorted(g.name for g in groups)}
            user.groups.set(groups)
        audit.record(action="accounts.user.update", actor=acting_user, obj=user,
                     organisation=user.organisation_id, details=details)
    return user


def change_password(*, user: User, password: str, acting_user: Any) -> User:
    """Set a new password: the password rules, the history, the expiry clock, one record."""
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        _save_keeping_history_here(user)
        remember_password_change(user, audited=False)
        actor = acting_user if acting_user is not None else user
        audit.record(action="accounts.password.change", actor=actor, obj=user,
                     organisation=user.organisation_id,
                     details={"by_self": getattr(actor, "pk", None) == user.pk})
    return user


# --- authentication events -------------------------------------------------------------


def _client(request: Any) -> dict[str, str]:
    if request is None:
        return {}
    meta = getattr(request, "META", {})
    return {"ip": client_address(request),
            "user_agent": str(meta.get("HTTP_USER_AGENT", ""))[:200]}


def lockout_threshold() -> int:
    """Failed attempts that lock a username (GOVSITES_LOCKOUT_THRESHOLD)."""
    return int(settings.GOVSITES_LOCKOUT_THRESHOLD)


def lockout_duration() -> dt.timedelta:
    """How long a lock lasts (GOVSITES_LOCKOUT_MINUTES)."""
    return dt.timedelta(minutes=int(settings.GOVSITES_LOCKOUT_MINUTES))


def normalise_username(username: str) -> str:
    """Count attempts per username regardless of letter case and surrounding spaces."""
    return (username or "").strip().casefold()[:150]


def record_login(*, user: User, request: Any = None) -> None:
    """A password login succeeded: clear the failure count and audit it."""
    with transaction.atomic():
        LoginFailureCounter.objects.filter(
            username=normalise_username(user.get_username())).delete()
        audit.record(action="accounts.auth.login", actor=user, obj=user,
                     organisation=user.organisation_id, details=_client(request))


@dataclass(frozen=True)
class FailureOutcome:
    """What one failed attempt did: the running count and whether the username is locked."""

    failures: int
    locked_until: dt.datetime | None
    newly_locked: bool


def record_login_failure(*, username: str, request: Any = None, stage: str = "password",
                         now: dt.datetime | None = None) -> FailureOutcome:
    """Count a failed password or TOTP attempt for a username and for the client's address.

    The username locks at GOVSITES_LOCKOUT_THRESHOLD; the address is blocked at
    GOVSITES_ADDRESS_FAILURE_THRESHOLD failures within the window, whatever usernames it tried.
    Attempts from a blocked address are audited but do not count against the username, so a
    blocked attacker cannot go on locking accounts. Unknown usernames are counted and locked
    exactly like known ones, so the login page answers the same way whether or not an account
    exists.
    """
    now = now or timezone.now()
    key = normalise_username(username)
    with transaction.atomic():
        was_blocked, address_blocked = _count_address_failure(client_address(request), now)
        counter, _created = LoginFailureCounter.objects.select_for_update().get_or_create(
            username=key)
        already_locked = counter.locked_until is not None and counter.locked_until > now
        newly_locked = False
        if not was_blocked:
            if counter.locked_until is not None and counter.locked_until <= now:
                counter.failures = 0
                counter.locked_until = None
            counter.failures += 1
            counter.last_failure_at = now
            if not already_locked and counter.failures >= lockout_threshold():
                counter.locked_until = now + lockout_duration()
                newly_locked = True
            counter.save()
        user = User.objects.filter(username__iexact=key).first()
        details = {"username": username[:150], "stage": stage, "failures": counter.failures,
                   "locked": already_locked or newly_locked, "address_blocked": address_blocked,
                   **_client(request)}
        if newly_locked and counter.locked_until is not None:
            details["locked_until"] = counter.locked_until.isoformat()
        audit.record(action="accounts.auth.lockout" if newly_locked
                     else "accounts.auth.login_failed",
                     actor=None, obj=user,
                     organisation=user.organisation_id if user else None, details=details)
    return FailureOutcome(failures=counter.failures, locked_until=counter.locked_until,
                          newly_locked=newly_locked)


def _count_address_failure(address: str, now: dt.datetime) -> tuple[bool, bool]:
    """Count one failure from an address; return (blocked before it, blocked after it)."""
    if not address:
        return False, False
    window = dt.timedelta(minutes=int(settings.GOVSITES_ADDRESS_WINDOW_MINUTES))
    counter, _created = LoginAddressCounter.objects.select_for_update().get_or_create(
        address=address, defaults={"window_started_at": now})
    if counter.blocked_until is not None and counter.blocked_until > now:
        return True, True  # attempts while blocked neither extend the block nor count
    if counter.blocked_until is not None or now - counter.window_started_at > window:
        counter.failures = 0
        counter.window_started_at = now
        counter.blocked_until = None
    counter.failures += 1
    if counter.failures >= int(settings.GOVSITES_ADDRESS_FAILURE_THRESHOLD):
        counter.blocked_until = now + dt.timedelta(
            minutes=int(settings.GOVSITES_ADDRESS_BLOCK_MINUTES))
    counter.save()
    return False, counter.blocked_until is not None


def address_blocked_until(request: Any, *, now: dt.datetime | None = None
                          ) -> dt.datetime | None:
    """Return when the block of the request's client address ends, or None if it is not blocked."""
    address = client_address(request)
    if not address:
        return None
    now = now or timezone.now()
    until = (LoginAddressCounter.objects.filter(address=address)
             .values_list("blocked_until", flat=True).first())
    if until is not None and until > now:
        return until
    return None


def locked_until(username: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Return when a username's lock ends, or None if it is not locked."""
    now = now or timezone.now()
    until = (LoginFailureCounter.objects.filter(username=normalise_username(username))
             .values_list("locked_until", flat=True).first())
    if until is not None and until > now:
        return until
    return None


def unlock_username(*, username: str, acting_user: Any) -> None:
    """Lift a lock before it ends (an administrator vouches for the person)."""
    with transaction.atomic():
        key = normalise_username(username)
        LoginFailureCounter.objects.filter(username=key).delete()
        user = User.objects.filter(username__iexact=key).first()
        audit.record(action="accounts.auth.unlock", actor=acting_user, obj=user,
                     organisation=user.organisation_id if user else None,
                     details={"username": key})


def unlock_with_second_factor(*, username: str, password: str, code: str, request: Any = None,
                              now: dt.datetime | None = None) -> bool:
    """Lift a username's lock when its owner proves both factors: the password and a TOTP code.

    Whoever locked an account by guessing (an administrator's, typically) holds neither, so the
    lock cannot keep its owner out for GOVSITES_LOCKOUT_MINUTES. Accounts without a confirmed
    authenticator wait for the lock to end or for an administrator. A failure returns False and
    changes nothing; the caller counts it as a failed login.
    """
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not user.is_active:
        make_password(password)  # as long to answer as for a real account
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed_at__isnull=False).first()
        if device is None or not user.check_password(password):
            return False
        step = _accept_code(device, code, now)
        if step is None:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        LoginFailureCounter.objects.filter(username=normalise_username(username)).delete()
        audit.record(action="accounts.auth.unlock", actor=user, obj=user,
                     organisation=user.organisation_id,
                     details={"username": user.get_username(), "by": "second_factor",
                              **_client(request)})
    return True


def record_logout(*, user: User, reason: str = "user", request: Any = None) -> None:
    """Audit a logout: by the user, by the idle timeout, or forced by a failed second factor."""
    with transaction.atomic():
        audit.record(action="accounts.auth.logout", actor=user, obj=user,
                     organisation=user.organisation_id,
                     details={"reason": reason, **_client(request)})


# --- TOTP second factor ----------------------------------------------------------------


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """Give a user a new, unconfirmed TOTP secret (replacing an unconfirmed one)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None and device.confirmed:
            return device
        if device is None:
            device = TOTPDevice(user=user)
        device.secret = totp.new_secret()
        device.last_used_step = None
        device.save()
        audit.record(action="accounts.totp.enrol", actor=user, obj=user,
                     organisation=user.organisation_id, details={})
    return device


def _accept_code(device: TOTPDevice, code: str, now: dt.datetime | None) -> int | None:
    step = totp.matching_step(device.secret, code, now=now)
    if step is None:
        return None
    if device.last_used_step is not None and step <= device.last_used_step:
        return None  # a code is good once: a replayed code fails
    return step


def confirm_totp(*, user: User, code: str, request: Any = None,
                 now: dt.datetime | None = None) -> bool:
    """Enable two-factor login once the user proves their app shows the right code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.confirmed:
            return False
        step = _accept_code(device, code, now)
        if step is None:
            audit.record(action="accounts.totp.fail", actor=user, obj=user,
                         organisation=user.organisation_id,
                         details={"stage": "enrolment", **_client(request)})
            return False
        device.confirmed_at = now or timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        audit.record(action="accounts.totp.enable", actor=user, obj=user,
                     organisation=user.organisation_id, details=_client(request))
    return True


def verify_totp(*, user: User, code: str, request: Any = None,
                now: dt.datetime | None = None) -> bool:
    """Check a login's second factor. A failure counts towards the username's lockout."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=user, confirmed_at__isnull=False).first()
        step = _accept_code(device, code, now) if device is not None else None
        if device is not None and step is not None:
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            audit.record(action="accounts.totp.verify", actor=user, obj=user,
                         organisation=user.organisation_id, details=_client(request))
            return True
    record_login_failure(username=user.get_username(), request=request, stage="totp", now=now)
    return False


def reset_totp(*, user: User, acting_user: Any) -> None:
    """Remove a user's authenticator (lost phone); they enrol again at their next login."""
    with transaction.atomic():
        deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
        audit.record(action="accounts.totp.reset", actor=acting_user, obj=user,
                     organisation=user.organisation_id, details={"removed": bool(deleted)})


# --- departure (离岗交接) ---------------------------------------------------------------


@dataclass
class DepartureResult:
    """What a departure handed to the successor."""

    columns: list[int] = field(default_factory=list)
    pending_reviews: list[int] = field(default_factory=list)
    successor_missing_roles: list[str] = field(default_factory=list)


def _check_departure(user: User, successor: User | None, reason: str) -> User:
    if not reason.strip():
        raise DepartureRefused(_("请填写离岗原因。"))
    if not user.is_active:
        raise DepartureRefused(_("该账号已停用。"))
    if successor is None:
        raise DepartureRefused(_("请指定接替人。"))
    if successor.pk == user.pk:
        raise DepartureRefused(_("接替人不能是离岗人员本人。"))
    if not successor.is_active:
        raise DepartureRefused(_("接替人的账号已停用。"))
    if successor.organisation_id != user.organisation_id:
        raise DepartureRefused(_("接替人必须与离岗人员属于同一单位。"))
    return successor


def _hand_over_column(column: Any, *, leaver: User, successor: User, acting_user: Any) -> None:
    """Make the successor the 栏目负责人 in the live row and in the revision the editor opens."""
    from govsites.content.models import ColumnPage

    ColumnPage.objects.filter(pk=column.pk).update(responsible_person=successor)
    latest = column.latest_revision
    if latest is None or latest.content.get("responsible_person") != leaver.pk:
        return
    if column.live and latest.pk == column.live_revision_id:
        column.refresh_from_db()
        revision = column.save_revision(user=acting_user, log_action=False, clean=False)
        revision.publish(user=acting_user, log_action=False, skip_permission_checks=True)
        return
    latest.content["responsible_person"] = successor.pk
    latest.save(update_fields=["content"])


def handle_departure(*, user: User, successor: User | None, acting_user: Any,
                     reason: str) -> DepartureResult:
    """Disable a departing person's account and hand their duties to a colleague.

    Columns they answer for get the successor as 栏目负责人; their pending review tasks are
    listed and announced through `user_departed` so the review workflow can reassign them.
    The account stays (records keep pointing at it); it can no longer log in.
    """
    from .selectors import pending_reviews_for, responsible_columns_for, roles_of

    successor = _check_departure(user, successor, reason)
    with transaction.atomic():
        pending = pending_reviews_for(user)
        columns = list(responsible_columns_for(user))
        for column in columns:
            _hand_over_column(column, leaver=user, successor=successor, acting_user=acting_user)
        user.is_active = False
        user.departed_at = timezone.now()
        user.save(update_fields=["is_active", "departed_at"])
        user_departed.send(sender=User, user=user, successor=successor,
                           acting_user=acting_user, reason=reason.strip(),
                           pending_reviews=pending)
        missing = sorted(str(r.label) for r in roles_of(user) - roles_of(successor))
        result = DepartureResult(columns=[c.pk for c in columns],
                                 pending_reviews=[s.pk for s in pending],
                                 successor_missing_roles=missing)
        audit.record(action="accounts.user.depart", actor=acting_user, obj=user,
                     organisation=user.organisation_id,
                     details={"reason": reason.strip(), "successor": successor.pk,
                              "successor_name": str(successor), "columns": result.columns,
                              "pending_reviews": result.pending_reviews,
                              "successor_missing_roles": missing})
    return result
