"""TOTP (RFC 6238) second factor: secrets, provisioning URIs, code checks without replay."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils import timezone

#: Session key set once the second factor has been passed in this session.
SESSION_VERIFIED_KEY = "govsites_totp_verified"

#: Accept the code of the neighbouring 30-second steps too (clock drift of phones).
VALID_WINDOW = 1


def new_secret() -> str:
    """Return a fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(length=32)


def issuer() -> str:
    return str(getattr(settings, "GOVSITES_TOTP_ISSUER",
                       getattr(settings, "WAGTAIL_SITE_NAME", "govsites")))


def provisioning_uri(*, secret: str, username: str) -> str:
    """Return the otpauth:// URI that authenticator apps read (typed in or as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer())


def qr_svg(uri: str) -> str:
    """Return the URI as an inline SVG QR code."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    data = image.to_string(encoding="unicode")
    return str(data)


def matching_step(secret: str, code: str, *, now: dt.datetime | None = None) -> int | None:
    """Return the time step whose code equals `code`, or None when no step in the window does."""
    code = "".join(code.split())
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = now or timezone.now()
    current = totp.timecode(moment)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        candidate = totp.generate_otp(current + offset)
        if hmac.compare_digest(candidate, code):
            return current + offset
    return None


def code_for(secret: str, *, now: dt.datetime | None = None) -> str:
    """Return the current code for a secret (tests and the enrolment page's self-check)."""
    return str(pyotp.TOTP(secret).at(now or timezone.now()))


def session_verified(request: Any) -> bool:
    return bool(request.session.get(SESSION_VERIFIED_KEY))
