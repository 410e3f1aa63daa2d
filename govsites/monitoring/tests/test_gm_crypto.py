"""RS-22 (丹东 第34条): passwords are hashed with PBKDF2-HMAC-SM3, the 国密 inventory finds the
algorithm each use runs on, and uses the rule data requires to be 国密 and are not are findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.core.management import CommandError, call_command
from django.test import override_settings

from govsites import rules
from govsites.core.hashers import PBKDF2SM3PasswordHasher
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.gm_inventory import USES, inventory
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services

RULE = "security.gm_crypto"
SM3_FIRST = ["govsites.core.hashers.PBKDF2SM3PasswordHasher",
             "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


class FastSM3(PBKDF2SM3PasswordHasher):
    iterations = 10


class FastSHA256(PBKDF2PasswordHasher):
    iterations = 10


FAST = ["govsites.monitoring.tests.test_gm_crypto.FastSM3",
        "govsites.monitoring.tests.test_gm_crypto.FastSHA256"]


def test_passwords_are_hashed_with_pbkdf2_sm3_and_old_hashes_are_upgraded_at_login(
        django_user_model: Any, db: Any) -> None:
    hasher = FastSM3()
    encoded = hasher.encode("Zhengwu#2026", hasher.salt())
    assert encoded.startswith("pbkdf2_sm3$10$")
    assert hasher.verify("Zhengwu#2026", encoded) and not hasher.verify("Zhengwu#2025", encoded)
    # the key is PBKDF2 over SM3, not over SHA-256
    sha256 = FastSHA256().encode("Zhengwu#2026", hasher.decode(encoded)["salt"])
    assert sha256.rsplit("$", 1)[1] != encoded.rsplit("$", 1)[1]
    with override_settings(PASSWORD_HASHERS=FAST):
        user = django_user_model.objects.create(username="legacy")
        user.password = make_password("Zhengwu#2026", hasher="pbkdf2_sha256")
        user.save()
        assert check_password("Zhengwu#2026", user.password, setter=user.set_password)
        assert identify_hasher(user.password).algorithm == "pbkdf2_sm3"
    from govsites.config.settings import base

    assert base.PASSWORD_HASHERS[:2] == SM3_FIRST  # what production hashes with (tests: MD5)


def test_the_inventory_names_every_use_and_finds_the_algorithm_in_force() -> None:
    with override_settings(PASSWORD_HASHERS=SM3_FIRST, GOVSITES_TLS_GM=False):
        uses = {use.use: use for use in inventory()}
    assert list(uses) == list(USES)
    assert uses["audit_chain"].gm and uses["audit_chain"].algorithm == "SM3"
    assert uses["personal_data"].algorithm == "SM4-GCM"
    assert uses["password_hashing"].gm and uses["password_hashing"].algorithm == "pbkdf2_sm3"
    assert not uses["signing"].gm and uses["signing"].algorithm == "HMAC-SHA256"
    assert not uses["transport"].gm
    with override_settings(PASSWORD_HASHERS=SM3_FIRST[1:], GOVSITES_TLS_GM=True):
        uses = {use.use: use for use in inventory()}
    assert not uses["password_hashing"].gm and uses["password_hashing"].algorithm == "pbkdf2_sha256"
    assert uses["transport"].gm


def _found(site: Any) -> list[InspectionFinding]:
    findings = platform_findings(site, base_url=probe_url(site),
                                 rulebook=load_rulebook(site=site), as_of=dt.date(2026, 6, 30))
    return [f for f in findings if f.rule_id == RULE]


@pytest.mark.django_db
def test_uses_the_rule_data_requires_to_be_gm_and_are_not_are_findings_on_the_portal(
        portal: Any, department_site: Any) -> None:
    assert _found(portal) == []  # nothing required
    rule_services.set_override(key=f"{RULE}.required_uses",
                               value=["audit_chain", "password_hashing", "signing", "transport"],
                               site=None, reason="按丹东第34条", acting_user=None)
    with override_settings(PASSWORD_HASHERS=SM3_FIRST, GOVSITES_TLS_GM=False):
        found = _found(portal)
        assert _found(department_site) == []  # one installation: reported once, on the portal
    assert sorted(f.extra["use"] for f in found) == ["signing", "transport"]
    assert all(f.severity == "serious" and not f.veto for f in found)
    with override_settings(PASSWORD_HASHERS=SM3_FIRST[1:], GOVSITES_TLS_GM=True):
        assert sorted(f.extra["use"] for f in _found(portal)) == ["password_hashing", "signing"]


def test_nothing_is_required_nationally_and_dandong_requires_every_use() -> None:
    assert rules.from_files("national").value("security.gm_crypto.required_uses") == []
    assert rules.from_files("dandong-2019").value("security.gm_crypto.required_uses") \
        == list(USES)


@pytest.mark.django_db
def test_the_inventory_command_fails_its_check_while_a_required_use_is_not_gm(
        capsys: pytest.CaptureFixture[str]) -> None:
    call_command("gm_inventory", "--check")  # nothing required: passes, and lists every use
    out = capsys.readouterr().out
    assert "审计日志链\tSM3\t国密" in out and "HMAC-SHA256\t非国密" in out
    rule_services.set_override(key=f"{RULE}.required_uses", value=["signing"], site=None,
                               reason="按丹东第34条", acting_user=None)
    with pytest.raises(CommandError, match="会话、CSRF"):
        call_command("gm_inventory", "--check")
