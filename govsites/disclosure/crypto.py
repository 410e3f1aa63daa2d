"""SM4 encryption of applicants' identity data at rest (GB/T 32907, through `cryptography`).

Identity data (name, 身份证明, contacts) is stored only as SM4-GCM ciphertext: a random
12-byte nonce, the ciphertext and the 16-byte tag, base64 in one text column. The key is the
`GOVSITES_DISCLOSURE_KEY` setting (32 hex digits); without it a key is derived from
SECRET_KEY with SM3, which is enough for development but must be set in production (and
kept: ciphertext cannot be read without it). Per-applicant counting (fees, repeated
requests) uses a keyed SM3 digest of the identity document, never the number itself.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16


class IdentityUnreadable(Exception):
    """The ciphertext does not open with the configured key (wrong key or tampered data)."""


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def key() -> bytes:
    """Return the 16-byte SM4 key from settings (or derived from SECRET_KEY)."""
    configured = str(getattr(settings, "GOVSITES_DISCLOSURE_KEY", "") or "")
    if configured:
        try:
            raw = bytes.fromhex(configured)
        except ValueError as exc:
            raise ImproperlyConfigured("GOVSITES_DISCLOSURE_KEY must be 32 hex digits") from exc
        if len(raw) != 16:
            raise ImproperlyConfigured("GOVSITES_DISCLOSURE_KEY must be 32 hex digits")
        return raw
    return _sm3(b"govsites.disclosure.identity:" + settings.SECRET_KEY.encode())[:16]


def encrypt(value: dict[str, Any]) -> str:
    """Encrypt a JSON-serialisable mapping with SM4-GCM; return base64 text."""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key()), modes.GCM(nonce)).encryptor()
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body = encryptor.update(plain) + encryptor.finalize()
    return base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(text: str) -> dict[str, Any]:
    """Open what `encrypt` produced, or raise IdentityUnreadable."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key()), modes.GCM(nonce, tag)).decryptor()
        plain = decryptor.update(body) + decryptor.finalize()
        value = json.loads(plain.decode("utf-8"))
    except (ValueError, InvalidTag, UnicodeDecodeError) as exc:
        raise IdentityUnreadable("identity data cannot be decrypted") from exc
    if not isinstance(value, dict):
        raise IdentityUnreadable("identity data is not a mapping")
    return value


def applicant_key(id_type: str, id_number: str) -> str:
    """Return a keyed SM3 digest (HMAC-SM3) that identifies one applicant by identity document."""
    mac = crypto_hmac.HMAC(key(), hashes.SM3())
    mac.update(f"{id_type}:{id_number.strip().upper()}".encode())
    return mac.finalize().hex()
