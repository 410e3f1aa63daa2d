"""Personal data sealed with SM4 under named keys: opens only untouched, under a known key;
malformed keys stop the start; every sealed field is known to the key rotation."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from govsites.core import crypto, sealed

KEY_1 = "00112233445566778899aabbccddeeff"
KEY_2 = "ffeeddccbbaa99887766554433221100"


def test_a_sealed_value_names_its_key_and_opens_to_the_original() -> None:
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1},
                           GOVSITES_PERSONAL_DATA_KEY_ID="k1"):
        value = crypto.seal("王小明 13812345678")
        assert value.startswith("k1$") and "王小明" not in value
        assert crypto.open_sealed(value) == "王小明 13812345678"
        assert crypto.seal("王小明") != crypto.seal("王小明")  # a fresh nonce each time


def test_a_tampered_sealed_value_does_not_open() -> None:
    value = crypto.seal("王小明")
    key_id, payload = value.split("$")
    tampered = key_id + "$" + payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(crypto.SealedValueError):
        crypto.open_sealed(tampered)
    with pytest.raises(crypto.SealedValueError):
        crypto.open_sealed("dev$not base64!")


def test_a_value_under_a_removed_key_is_refused_not_garbled() -> None:
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1}):
        value = crypto.seal("王小明")
        data = crypto.seal_bytes(b"%PDF-1.4")
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS={"k2": KEY_2}):
        with pytest.raises(crypto.SealedValueError):
            crypto.open_sealed(value)
        with pytest.raises(crypto.SealedValueError):
            crypto.open_sealed_bytes(data)


def test_reseal_moves_a_value_to_the_current_key_and_leaves_current_ones_alone() -> None:
    keys = {"k1": KEY_1, "k2": KEY_2}
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=keys, GOVSITES_PERSONAL_DATA_KEY_ID="k1"):
        old = crypto.seal("王小明")
        old_bytes = crypto.seal_bytes(b"abc")
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=keys, GOVSITES_PERSONAL_DATA_KEY_ID="k2"):
        new = crypto.reseal(old)
        assert crypto.key_id_of(new) == "k2" and crypto.open_sealed(new) == "王小明"
        assert crypto.reseal(new) == new
        new_bytes = crypto.reseal_bytes(old_bytes)
        assert crypto.key_id_of_bytes(new_bytes) == "k2"
        assert crypto.open_sealed_bytes(new_bytes) == b"abc"


@pytest.mark.parametrize("keys, key_id", [
    ({"k1": "abc"}, "k1"),                       # not 32 hex digits
    ({"k1": "zz" * 16}, "k1"),                   # not hex
    ({"k$1": KEY_1}, "k$1"),                     # the separator in an id
    ({"k1": KEY_1, "k2": KEY_2}, ""),            # two keys and none named current
    ({"k1": KEY_1}, "k9"),                       # the current id names no key
])
def test_malformed_keys_stop_every_command_with_a_clear_error(
        keys: dict[str, str], key_id: str) -> None:
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=keys, GOVSITES_PERSONAL_DATA_KEY_ID=key_id):
        with pytest.raises(ImproperlyConfigured):
            crypto.seal("x")
        found = [m for m in checks.run_checks(databases=[]) if m.id == "core.E001"]
    assert len(found) == 1 and "加密密钥" in found[0].msg


def test_production_without_its_own_keys_is_warned_by_check_deploy() -> None:
    with override_settings(PRODUCTION=True, GOVSITES_PERSONAL_DATA_KEYS={},
                           GOVSITES_DIGEST_KEY=""):
        ids = {m.id for m in checks.run_checks(include_deployment_checks=True, databases=[])}
    assert "core.W001" in ids
    with override_settings(PRODUCTION=True, GOVSITES_PERSONAL_DATA_KEYS={"k1": KEY_1},
                           GOVSITES_DIGEST_KEY=KEY_2):
        ids = {m.id for m in checks.run_checks(include_deployment_checks=True, databases=[])}
    assert "core.W001" not in ids and "core.E001" not in ids


def test_a_keyed_digest_is_stable_per_purpose_and_depends_on_the_key() -> None:
    with override_settings(GOVSITES_DIGEST_KEY=KEY_1):
        first = crypto.keyed_digest("applicant", "resident_id:11010519491231002X")
        assert first == crypto.keyed_digest("applicant", "resident_id:11010519491231002X")
        assert first != crypto.keyed_digest("other", "resident_id:11010519491231002X")
        assert "11010519491231002X" not in first and len(first) == 64
    with override_settings(GOVSITES_DIGEST_KEY=KEY_2):
        assert crypto.keyed_digest("applicant", "resident_id:11010519491231002X") != first


def test_every_sealed_field_of_every_model_is_known_to_the_key_rotation() -> None:
    """A `sealed_*` field left out of the registry would keep its old key for ever."""
    declared = {(entry.model._meta.label, name) for entry in sealed.registered()
                for name in (*entry.text, *entry.binary)}
    found = {(model._meta.label, f.name) for model in apps.get_models()
             for f in model._meta.get_fields() if f.name.startswith("sealed_")}
    assert found, "no sealed fields found: the check would prove nothing"
    assert found <= declared, f"not declared to core.sealed: {sorted(found - declared)}"
