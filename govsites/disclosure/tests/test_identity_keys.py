"""Applicants' identity data shares the platform's personal-data keys and their rotation."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.management import call_command
from django.test import override_settings

from govsites.accounts.roles import Role
from govsites.core import crypto as core_crypto

from .. import crypto
from ..models import DisclosureRequest
from .factories import ID_NUMBER, applicant, make_body, make_staff, registered

pytestmark = pytest.mark.django_db

KEY_1 = "00112233445566778899aabbccddeeff"
KEY_2 = "ffeeddccbbaa99887766554433221100"
LEGACY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def _legacy_seal(value: dict[str, Any]) -> str:
    """A value as the app stored it before the keys were shared (no key id, its own key)."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(LEGACY)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(json.dumps(value, ensure_ascii=False).encode()) + encryptor.finalize()
    return base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def test_identity_is_sealed_under_the_current_personal_data_key() -> None:
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1},
                           GOVSITES_PERSONAL_DATA_KEY_ID="k1"):
        sealed = crypto.encrypt({"name": "张三", "id_number": ID_NUMBER})
        assert core_crypto.key_id_of(sealed) == "k1" and "张三" not in sealed
        assert crypto.decrypt(sealed)["name"] == "张三"
    with (override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k2": KEY_2}),
          pytest.raises(crypto.IdentityUnreadable)):
        crypto.decrypt(sealed)


@override_settings(GOVSITES_DISCLOSURE_KEY=LEGACY)
def test_a_request_stored_before_the_keys_were_shared_opens_and_is_resealed_by_the_rotation(
) -> None:
    body = make_body()
    clerk = make_staff(body, "clerk", Role.EDITOR)
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1}):
        request = registered(body, clerk, dt.date(2026, 11, 2))
        fresh_key = request.applicant_key
        identity = {"name": "张三", "id_type": "resident_id", "id_number": ID_NUMBER,
                    "phone": "13912345678"}
        DisclosureRequest.objects.filter(pk=request.pk).update(
            identity_ciphertext=_legacy_seal(identity), applicant_key="former-digest")
        request.refresh_from_db()
        assert request.identity()["name"] == "张三"  # still readable before the rotation
        call_command("rotate_personal_data_keys")
        request.refresh_from_db()
        assert core_crypto.key_id_of(request.identity_ciphertext) == "k1"
        assert request.applicant_key == fresh_key  # digest recomputed under the shared key
    with override_settings(GOVSITES_DISCLOSURE_KEY="", GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1}):
        assert DisclosureRequest.objects.get(pk=request.pk).identity()["phone"] == "13912345678"


def test_the_same_person_gets_the_same_applicant_digest_whatever_the_case_of_the_number() -> None:
    lower = crypto.applicant_key("resident_id", ID_NUMBER.lower())
    assert lower == crypto.applicant_key("resident_id", f" {ID_NUMBER} ")
    assert applicant().id_number not in lower
