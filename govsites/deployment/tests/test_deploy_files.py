"""What deploy/ ships: an environment file that passes `check --deploy`, units that start the
documented commands."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from govsites.testing.processes import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _env_template() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "govsites.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_the_environment_template_passes_check_deploy_once_its_secrets_are_set(
        tmp_path: Path) -> None:
    template = _env_template()
    assert {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "GOVSITES_S3_BUCKET",
            "GOVSITES_SECRET_KEY"} <= set(template)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(template)
    env.update(GOVSITES_SECRET_KEY=secrets.token_urlsafe(64), GOVSITES_DATA_DIR=str(tmp_path),
               GOVSITES_PERSONAL_DATA_KEYS="2026a:" + secrets.token_hex(16),
               GOVSITES_DIGEST_KEY=secrets.token_hex(16))
    done = subprocess.run([sys.executable, "-m", "govsites", "check", "--deploy",
                           "--fail-level", "WARNING"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_template_secret_is_refused_as_it_stands(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(_env_template(), GOVSITES_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "govsites", "check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "GOVSITES_SECRET_KEY" in done.stderr


def test_every_unit_starts_a_command_the_project_has() -> None:
    from django.core.management import get_commands

    commands = get_commands()
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} >= {"govsites-web.service", "govsites-worker@.service"}
    for unit in units:
        text = unit.read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/govsites/govsites.env" in text, unit.name
        start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
        if "/govsites " in start:
            assert start.split("/govsites ", 1)[1].split()[0] in commands, unit.name
        else:
            assert "gunicorn govsites.config.wsgi --config" in start
            assert (DEPLOY / "gunicorn.conf.py").is_file()
