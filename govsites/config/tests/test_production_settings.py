"""The shipped settings as a fresh process reads them: what a production start refuses and sets.

Each test starts `govsites` (or Python with the shipped settings module) in a subprocess with a
clean environment, so the settings are really read again from the variables an operator sets.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

#: docs/security.md "Production defaults": the variables a production start is documented with.
PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://govsites@127.0.0.1:9/govsites",  # never contacted by `check`
    "GOVSITES_SECRET_KEY": secrets.token_urlsafe(64),
    "GOVSITES_PUBLIC_SCHEME": "https",
    "GOVSITES_PERSONAL_DATA_KEYS": "2026a:" + secrets.token_hex(16),
    "GOVSITES_DIGEST_KEY": secrets.token_hex(16),
}


def _environment(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env["GOVSITES_DATA_DIR"] = str(tmp_path)
    env.update(extra)
    return env


def _govsites(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govsites", *args], cwd=tmp_path,
                          env=_environment(tmp_path, extra), capture_output=True, text=True,
                          timeout=120, check=False)


def _settings(tmp_path: Path, *names: str, **extra: str) -> dict[str, object]:
    code = ("import json, django; from django.conf import settings; django.setup(); "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))")
    env = _environment(tmp_path, {"DJANGO_SETTINGS_MODULE": "govsites.config.settings.base",
                                  **extra})
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path: Path) -> None:
    done = _govsites(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_postgresql_installation_passes_the_system_checks(tmp_path: Path) -> None:
    """postgres.E005 (Wagtail's GinIndex needs django.contrib.postgres) stopped every command."""
    done = _govsites(tmp_path, "check", **PRODUCTION_ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "postgres.E005" not in done.stdout + done.stderr


@pytest.mark.parametrize("start", [
    {"DATABASE_URL": "postgres://govsites@127.0.0.1:9/govsites"},
    {"GOVSITES_ENV": "production"},
], ids=["postgresql-url", "declared"])
def test_a_production_start_refuses_the_default_secret_key_with_a_clear_message(
        tmp_path: Path, start: dict[str, str]) -> None:
    done = _govsites(tmp_path, "check", **start)
    assert done.returncode == 2
    assert "GOVSITES_SECRET_KEY" in done.stderr and "拒绝启动" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_production_start_refuses_debug(tmp_path: Path) -> None:
    done = _govsites(tmp_path, "migrate", **PRODUCTION_ENV, GOVSITES_DEBUG="1")
    assert done.returncode == 2
    assert "GOVSITES_DEBUG" in done.stderr and "GOVSITES_SECRET_KEY" not in done.stderr


def test_a_production_start_refuses_any_host(tmp_path: Path) -> None:
    done = _govsites(tmp_path, "check", **PRODUCTION_ENV, GOVSITES_ALLOWED_HOSTS="*")
    assert done.returncode == 2 and "GOVSITES_ALLOWED_HOSTS" in done.stderr


def test_debug_is_off_unless_asked_for_and_loopback_names_answer_only_outside_production(
        tmp_path: Path) -> None:
    embedded = _settings(tmp_path, "DEBUG", "PRODUCTION", "GOVSITES_EXTRA_HOSTS",
                         "SESSION_COOKIE_SECURE")
    assert embedded["DEBUG"] is False and embedded["PRODUCTION"] is False
    assert "localhost" in embedded["GOVSITES_EXTRA_HOSTS"]  # type: ignore[operator]
    production = _settings(tmp_path, "PRODUCTION", "GOVSITES_EXTRA_HOSTS", **PRODUCTION_ENV,
                           GOVSITES_ALLOWED_HOSTS="admin.shili.gov.cn")
    assert production["PRODUCTION"] is True
    assert production["GOVSITES_EXTRA_HOSTS"] == ["admin.shili.gov.cn"]


def test_with_tls_on_cookies_are_secure_and_hsts_is_sent(tmp_path: Path) -> None:
    names = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
             "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER")
    tls = _settings(tmp_path, *names, **PRODUCTION_ENV)
    assert tls["SESSION_COOKIE_SECURE"] is True and tls["CSRF_COOKIE_SECURE"] is True
    assert tls["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600 and tls["SECURE_SSL_REDIRECT"] is True
    assert tls["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    plain = _settings(tmp_path, *names, **{**PRODUCTION_ENV, "GOVSITES_PUBLIC_SCHEME": "http"})
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SECURE_HSTS_SECONDS"] == 0
