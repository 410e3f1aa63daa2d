"""Account passwords hashed with PBKDF2-HMAC-SM3 (GB/T 32905), the 国密 hash (RS-22).

Django's default is PBKDF2-HMAC-SHA256. This hasher is the same construction over SM3, through
the `cryptography` package that already provides SM3 and SM4 to `core.crypto`. It is first in
PASSWORD_HASHERS; Django's own hashers follow, so a password stored under them still verifies
and is re-hashed with SM3 at the user's next login.
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

#: The SM3 iterations that cost about what Django's PBKDF2-SHA256 default does on the same
#: machine (SM3 is about 1.5 times slower per round than SHA-256 in OpenSSL).
SM3_ITERATIONS = 1_000_000
DIGEST_BYTES = 32


def pbkdf2_sm3(password: str, salt: str, iterations: int) -> bytes:
    """PBKDF2 with HMAC-SM3, a 32-byte key."""
    kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=DIGEST_BYTES, salt=salt.encode(),
                     iterations=iterations)
    return kdf.derive(password.encode())


class PBKDF2SM3PasswordHasher(BasePasswordHasher):
    """`pbkdf2_sm3$<iterations>$<salt>$<base64 key>`, like Django's PBKDF2 hasher over SM3."""

    algorithm = "pbkdf2_sm3"
    iterations = SM3_ITERATIONS

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        if password is None:
            raise TypeError("password must be provided.")
        if not salt or "$" in salt:
            raise ValueError("salt must be provided and cannot contain $.")
        iterations = iterations or self.iterations
        digest = base64.b64encode(pbkdf2_sm3(password, salt, iterations)).decode("ascii")
        return f"{self.algorithm}${iterations}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, iterations, salt, digest = encoded.split("$", 3)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "iterations": int(iterations),
                "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        candidate = self.encode(password, decoded["salt"], decoded["iterations"])
        return constant_time_compare(encoded, candidate)

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("iterations"): decoded["iterations"],
                _("salt"): mask_hash(decoded["salt"]), _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded: str) -> bool:
        return self.decode(encoded)["iterations"] != self.iterations

    def harden_runtime(self, password: str, encoded: str) -> None:
        extra = self.iterations - self.decode(encoded)["iterations"]
        if extra > 0:
            self.encode(password, self.salt(), extra)
