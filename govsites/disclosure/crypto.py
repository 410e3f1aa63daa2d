"""Applicants' identity data at rest: core's SM4 sealing (govsites/core/crypto.py) of a JSON mapping.

Identity data (name, 身份证明, contacts) is stored only as one sealed value under the
installation's personal-data keys (`GOVSITES_PERSONAL_DATA_KEYS`, rotated with
`govsites rotate_personal_data_keys`). Per-applicant counting (fees, repeated requests) uses a
keyed SM3 digest of the identity document, never the number itself.

Values written before the keys were shared carry no key id; they open with the former
`GOVSITES_DISCLOSURE_KEY` (or its SECRET_KEY-derived default) until the rotation command has
re-sealed them.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.conf import settings

from govsites.core import crypto
from govsites.core.audit import sm3_hex

DIGEST_PURPOSE = "disclosure.applicant"


class IdentityUnreadable(Exception):
    """The sealed identity does not open with the configured keys (wrong key or tampered data)."""


def _legacy_key() -> bytes:
    configured = str(getattr(settings, "GOVSITES_DISCLOSURE_KEY", "") or "")
    if configured:
        return crypto.hex_key("GOVSITES_DISCLOSURE_KEY", configured)
    seed = b"govsites.disclosure.identity:" + settings.SECRET_KEY.encode()
    return bytes.fromhex(sm3_hex(seed))[:crypto.KEY_BYTES]


def open_text(sealed: str) -> str:
    """Open a stored identity value, in the common format or the former one."""
    if crypto.key_id_of(sealed):
        return crypto.open_sealed(sealed)
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise crypto.SealedValueError("identity data is not a sealed value") from exc
    try:
        return crypto.decrypt_payload(_legacy_key(), raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise crypto.SealedValueError("identity data does not hold text") from exc


def encrypt(value: dict[str, Any]) -> str:
    """Seal a JSON-serialisable mapping with the current personal-data key."""
    return crypto.seal(json.dumps(value, ensure_ascii=False, sort_keys=True))


def decrypt(text: str) -> dict[str, Any]:
    """Open what `encrypt` produced, or raise IdentityUnreadable."""
    try:
        value = json.loads(open_text(text))
    except (crypto.SealedValueError, ValueError) as exc:
        raise IdentityUnreadable("identity data cannot be decrypted") from exc
    if not isinstance(value, dict):
        raise IdentityUnreadable("identity data is not a mapping")
    return value


def applicant_key(id_type: str, id_number: str) -> str:
    """A keyed SM3 digest (HMAC-SM3) that identifies one applicant by identity document."""
    return crypto.keyed_digest(DIGEST_PURPOSE, f"{id_type}:{id_number.strip().upper()}")


def refresh_applicant_key(request: Any) -> list[str]:
    """After re-sealing: recompute a request's applicant digest under the shared digest key
    (requests stored before the keys were shared used the former disclosure key)."""
    identity = decrypt(request.identity_ciphertext)
    key = applicant_key(str(identity.get("id_type", "")), str(identity.get("id_number", "")))
    if key == request.applicant_key:
        return []
    request.applicant_key = key
    return ["applicant_key"]
