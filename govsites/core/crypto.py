"""Personal data at rest: SM4-GCM (GB/T 32907) under named, rotatable keys; keyed SM3 digests.

One place for every app that stores the public's personal data (政民互动's writers, 依申请公开's
applicants). A stored value is ``<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``, so each value
names the key that sealed it and keys can be rotated (docs/how-to/rotate-personal-data-keys.md):
add a key to `GOVSITES_PERSONAL_DATA_KEYS`, make it `GOVSITES_PERSONAL_DATA_KEY_ID`, run
`govsites rotate_personal_data_keys`, then remove the old key. GCM authenticates: an altered
value fails to open.

Without configured keys (development, tests) one key is derived from SECRET_KEY with SM3 under
the id "dev"; production settings must name real keys.

Values that must be found again without being stored in clear (an applicant's identity
document, for counting repeated requests) get `keyed_digest`: HMAC-SM3 under
`GOVSITES_DIGEST_KEY`, a key that is never rotated (changing it breaks the matching).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govsites.core.audit import sm3_hex

NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16
DEV_KEY_ID = "dev"
SEPARATOR = "$"


class SealedValueError(ValueError):
    """A stored value cannot be opened (unknown key, or altered since it was sealed)."""


def hex_key(name: str, digits: str) -> bytes:
    """A 128-bit key from a setting's 32 hex digits, or ImproperlyConfigured naming the setting."""
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name} must be 32 hex digits (a 128-bit SM4 key)")
    return raw


def _keys() -> dict[str, bytes]:
    configured: dict[str, str] = dict(getattr(settings, "GOVSITES_PERSONAL_DATA_KEYS", {}) or {})
    if not configured:
        return {DEV_KEY_ID: bytes.fromhex(sm3_hex(("sm4:" + settings.SECRET_KEY).encode()))[:16]}
    keys = {}
    for key_id, digits in configured.items():
        if not key_id or SEPARATOR in key_id:
            raise ImproperlyConfigured(
                f"GOVSITES_PERSONAL_DATA_KEYS: key id {key_id!r} must be non-empty without '$'")
        keys[key_id] = hex_key(f"GOVSITES_PERSONAL_DATA_KEYS[{key_id!r}]", digits)
    return keys


def current_key_id() -> str:
    """The id of the key new values are sealed with."""
    keys = _keys()
    key_id = str(getattr(settings, "GOVSITES_PERSONAL_DATA_KEY_ID", "") or "")
    if not key_id:
        if len(keys) != 1:
            raise ImproperlyConfigured("GOVSITES_PERSONAL_DATA_KEY_ID must name one of the keys")
        return next(iter(keys))
    if key_id not in keys:
        raise ImproperlyConfigured(
            f"GOVSITES_PERSONAL_DATA_KEY_ID {key_id!r} is not a configured key")
    return key_id


def _encrypt(key: bytes, data: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    body = encryptor.update(data) + encryptor.finalize()
    return nonce + body + encryptor.tag


def decrypt_payload(key: bytes, raw: bytes) -> bytes:
    """Open nonce ‖ ciphertext ‖ tag under a raw key, or raise SealedValueError."""
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealedValueError("a stored value is too short to be a sealed value")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        return decryptor.update(body) + decryptor.finalize()
    except (ValueError, InvalidTag) as exc:
        raise SealedValueError("a stored value was altered or is not a sealed value") from exc


def key_id_of(sealed: str) -> str:
    """The id of the key a stored value was sealed with ("" for an empty or unnamed value)."""
    key_id, sep, _payload = sealed.partition(SEPARATOR)
    return key_id if sep else ""


def seal(plain: str) -> str:
    """Encrypt text with the current key; the empty string stays empty."""
    if not plain:
        return ""
    key_id = current_key_id()
    payload = _encrypt(_keys()[key_id], plain.encode("utf-8"))
    return key_id + SEPARATOR + base64.b64encode(payload).decode("ascii")


def open_sealed(sealed: str) -> str:
    """Decrypt a stored value, or raise SealedValueError."""
    if not sealed:
        return ""
    key_id, sep, payload = sealed.partition(SEPARATOR)
    key = _keys().get(key_id) if sep else None
    if key is None:
        raise SealedValueError(f"no key {key_id_of(sealed)!r} to open a stored value")
    try:
        raw = base64.b64decode(payload, validate=True)
    except ValueError as exc:
        raise SealedValueError("a stored value is not a sealed value") from exc
    try:
        return decrypt_payload(key, raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SealedValueError("a stored value does not hold text") from exc


def reseal(sealed: str) -> str:
    """Re-encrypt a value with the current key (unchanged when it already uses it)."""
    if not sealed or key_id_of(sealed) == current_key_id():
        return sealed
    return seal(open_sealed(sealed))


def seal_bytes(data: bytes) -> bytes:
    """Encrypt bytes (an attachment) with the current key: ``<key id>$`` then nonce ‖ body ‖ tag."""
    key_id = current_key_id()
    return key_id.encode() + SEPARATOR.encode() + _encrypt(_keys()[key_id], data)


def key_id_of_bytes(sealed: bytes | memoryview) -> str:
    """The id of the key sealed bytes were sealed with."""
    key_id, sep, _raw = bytes(sealed).partition(SEPARATOR.encode())
    return key_id.decode("ascii", "replace") if sep else ""


def open_sealed_bytes(sealed: bytes | memoryview) -> bytes:
    """Decrypt bytes sealed by `seal_bytes`, or raise SealedValueError."""
    key_id, _sep, raw = bytes(sealed).partition(SEPARATOR.encode())
    key = _keys().get(key_id.decode("ascii", "replace"))
    if key is None:
        raise SealedValueError("no key to open a stored attachment")
    return decrypt_payload(key, raw)


def reseal_bytes(sealed: bytes | memoryview) -> bytes:
    """Re-encrypt sealed bytes with the current key (unchanged when they already use it)."""
    if key_id_of_bytes(sealed) == current_key_id():
        return bytes(sealed)
    return seal_bytes(open_sealed_bytes(sealed))


def _digest_key() -> bytes:
    configured = str(getattr(settings, "GOVSITES_DIGEST_KEY", "") or "")
    if configured:
        return hex_key("GOVSITES_DIGEST_KEY", configured)
    return bytes.fromhex(sm3_hex(("digest:" + settings.SECRET_KEY).encode()))[:KEY_BYTES]


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SM3 of a personal value, to find records by it without storing it in clear."""
    mac = crypto_hmac.HMAC(_digest_key(), hashes.SM3())
    mac.update(f"{purpose}:{value}".encode())
    return mac.finalize().hex()
