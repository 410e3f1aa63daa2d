"""Personal data at rest: SM4-GCM (GB/T 32907) with keys from settings, and key rotation.

A stored value is ``<key id>$<base64(nonce ‖ ciphertext ‖ tag)>``, so every value names the key
that sealed it and keys can be rotated: add a new key to `GOVSITES_INTERACTION_KEYS`, make it
`GOVSITES_INTERACTION_KEY_ID`, run `govsites interaction_rotate_keys`, then remove the old key
(docs/how-to/rotate-interaction-keys.md). GCM authenticates: a tampered value fails to open.

Without configured keys (development, tests) one key is derived from SECRET_KEY with SM3 under
the id "dev"; production settings must name real keys.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govsites.core.audit import sm3_hex

NONCE_BYTES = 12
TAG_BYTES = 16
DEV_KEY_ID = "dev"


class SealedValueError(ValueError):
    """A stored value cannot be opened (unknown key, or altered since it was sealed)."""


def _keys() -> dict[str, bytes]:
    configured: dict[str, str] = dict(getattr(settings, "GOVSITES_INTERACTION_KEYS", {}) or {})
    if not configured:
        return {DEV_KEY_ID: bytes.fromhex(sm3_hex(("sm4:" + settings.SECRET_KEY).encode()))[:16]}
    keys = {}
    for key_id, hex_key in configured.items():
        try:
            raw = bytes.fromhex(hex_key)
        except ValueError:
            raw = b""
        if len(raw) != 16 or "$" in key_id:
            raise ImproperlyConfigured(
                f"GOVSITES_INTERACTION_KEYS[{key_id!r}] must be 32 hex digits (a 128-bit SM4 key)")
        keys[key_id] = raw
    return keys


def current_key_id() -> str:
    """The id of the key new values are sealed with."""
    keys = _keys()
    key_id = str(getattr(settings, "GOVSITES_INTERACTION_KEY_ID", "") or "")
    if not key_id:
        if len(keys) != 1:
            raise ImproperlyConfigured("GOVSITES_INTERACTION_KEY_ID must name one of the keys")
        return next(iter(keys))
    if key_id not in keys:
        raise ImproperlyConfigured(f"GOVSITES_INTERACTION_KEY_ID {key_id!r} is not a configured key")
    return key_id


def seal(plain: str) -> str:
    """Encrypt text with the current key; the empty string stays empty."""
    if not plain:
        return ""
    key_id = current_key_id()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_keys()[key_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode("utf-8")) + encryptor.finalize()
    return key_id + "$" + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def key_id_of(sealed: str) -> str:
    """The id of the key a stored value was sealed with ("" for an empty value)."""
    return sealed.split("$", 1)[0] if sealed else ""


def open_sealed(sealed: str) -> str:
    """Decrypt a stored value, or raise SealedValueError."""
    if not sealed:
        return ""
    key_id, _sep, payload = sealed.partition("$")
    key = _keys().get(key_id)
    if key is None:
        raise SealedValueError(f"no key {key_id!r} to open a stored value")
    try:
        raw = base64.b64decode(payload, validate=True)
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except (ValueError, InvalidTag) as exc:
        raise SealedValueError("a stored value was altered or is not a sealed value") from exc


def reseal(sealed: str) -> str:
    """Re-encrypt a value with the current key (unchanged when it already uses it)."""
    if not sealed or key_id_of(sealed) == current_key_id():
        return sealed
    return seal(open_sealed(sealed))


def lookup_digest(value: str) -> str:
    """A keyed SM3 digest for finding records by a personal value without storing it in clear."""
    return sm3_hex(("lookup:" + settings.SECRET_KEY + ":" + value).encode())


def seal_bytes(data: bytes) -> bytes:
    """Encrypt bytes (an attachment) with the current key: ``<key id>$`` then nonce ‖ body ‖ tag."""
    key_id = current_key_id()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_keys()[key_id]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(data) + encryptor.finalize()
    return key_id.encode() + b"$" + nonce + body + encryptor.tag


def open_sealed_bytes(sealed: bytes | memoryview) -> bytes:
    """Decrypt bytes sealed by `seal_bytes`, or raise SealedValueError."""
    key_id, _sep, raw = bytes(sealed).partition(b"$")
    key = _keys().get(key_id.decode("ascii", "replace"))
    if key is None:
        raise SealedValueError("no key to open a stored attachment")
    try:
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        return decryptor.update(body) + decryptor.finalize()
    except (ValueError, InvalidTag) as exc:
        raise SealedValueError("a stored attachment was altered") from exc
