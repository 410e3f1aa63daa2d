"""`govsites backup` and `govsites restore`: one archive with its SM3, restored on an empty
installation that then passes `audit verify` and `guard verify`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from govsites import testing
from govsites.deployment.archive import BackupError, checksum_path, verify_checksum
from govsites.deployment.backup import backups_in, create_backup, prune_backups
from govsites.deployment.restore import restore_backup
from govsites.publishing.services import rebuild_sites
from govsites.testing.processes import REPO_ROOT, ensure_page_tree, settings_env


def _clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVSITES_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GOVSITES_DATA_DIR=str(data_dir), **extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govsites", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def fresh_target(tmp_path: Path) -> Any:
    """An empty installation of the same database kind as the test database."""
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    if connection.vendor == "sqlite":
        yield _clean_env(data_dir)
        return
    name = f"govsites_restore_{uuid.uuid4().hex[:8]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _clean_env(data_dir, GOVSITES_ENV="embedded",
                         DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_installation_that_passes_audit_and_guard(
        tmp_path: Path, settings: Any, publish_root: Path, fresh_target: dict[str, str]) -> None:
    ensure_page_tree()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    portal = testing.make_site()
    column = testing.make_column(portal.site.root_page.specific, title="工作动态")
    testing.make_article(column, title="备份前发布的文章")
    image = testing.make_image("备份前上传的图片")
    rebuild_sites(acting_user=None)
    out = tmp_path / "backups"

    made = _run(["backup", "--out", str(out)],
                settings_env(tmp_path, MEDIA_ROOT=str(tmp_path / "media")))
    assert made.returncode == 0, made.stdout + made.stderr
    [archive] = backups_in(out)
    assert verify_checksum(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "backup.json" in names and "manifest.jsonl" in names
    assert f"media/{image.file.name}" in names

    restored = _run(["restore", str(archive)], fresh_target)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "完全一致" in restored.stdout and "审计链：完好" in restored.stdout
    for check in (["audit", "verify"], ["guard", "verify"]):
        done = _run(check, fresh_target)
        assert done.returncode == 0, [*check, done.stdout, done.stderr]
    data_dir = Path(fresh_target["GOVSITES_DATA_DIR"])
    assert (data_dir / "media" / image.file.name).read_bytes() == Path(image.file.path).read_bytes()
    page = next((data_dir / "published" / "localhost").rglob("t*.html"))
    assert "备份前发布的文章" in page.read_text(encoding="utf-8")
    again = _run(["restore", str(archive)], fresh_target)  # now it is not empty any more
    assert again.returncode != 0 and "不是空的" in again.stderr


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path: Path) -> None:
    archive = tmp_path / "govsites-backup-20260101T000000Z.tar"
    archive.write_bytes(b"not really a tar")
    checksum_path(archive).write_text("0" * 64 + f"  {archive.name}\n")
    with pytest.raises(BackupError, match="SM3 校验失败"):
        restore_backup(archive=archive)
    checksum_path(archive).unlink()
    with pytest.raises(BackupError, match="缺少校验文件"):
        restore_backup(archive=archive)


@pytest.mark.django_db
def test_restoring_over_an_installation_in_use_is_refused(tmp_path: Path) -> None:
    testing.make_site()
    result = create_backup(out_dir=tmp_path)
    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive=result.path)


@pytest.mark.django_db
def test_the_sqlite_archive_holds_a_database_that_opens(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite online backup")
    testing.make_site()
    result = create_backup(out_dir=tmp_path)
    with tarfile.open(result.path) as tar:
        tar.extract("database.sqlite3", tmp_path / "x", filter="data")
    db = sqlite3.connect(tmp_path / "x" / "database.sqlite3")
    assert db.execute("select count(*) from django_migrations").fetchone()[0] > 0
    db.close()


def test_pruning_keeps_the_newest_archives_and_their_checksums(tmp_path: Path) -> None:
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        archive = tmp_path / f"govsites-backup-{stamp}.tar"
        archive.write_bytes(stamp.encode())
        checksum_path(archive).write_text("x")
    removed = prune_backups(tmp_path, keep=2)
    assert [p.name for p in removed] == ["govsites-backup-20260101T000000Z.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "govsites-backup-20260102T000000Z.tar", "govsites-backup-20260102T000000Z.tar.sm3",
        "govsites-backup-20260103T000000Z.tar", "govsites-backup-20260103T000000Z.tar.sm3"]
    with pytest.raises(BackupError):
        prune_backups(tmp_path, keep=0)


@pytest.mark.django_db
def test_scheduled_backups_keep_the_number_the_rule_says(tmp_path: Path, settings: Any) -> None:
    from govsites.deployment.tasks import scheduled_backup
    from govsites.rules import services

    settings.GOVSITES_BACKUP_DIR = str(tmp_path / "b")
    testing.make_site()
    services.set_override(key="backup.keep_count", value=1, reason="测试", acting_user=None)
    services.set_override(key="backup.interval_hours", value=0, reason="测试", acting_user=None)
    first = scheduled_backup.call()
    assert first.endswith(tuple("0123456789abcdef"))
    import time

    time.sleep(1.1)  # archive names are per second
    scheduled_backup.call()
    assert len(backups_in(tmp_path / "b")) == 1
    services.set_override(key="backup.interval_hours", value=24, reason="测试", acting_user=None)
    assert "跳过" in scheduled_backup.call()


def test_without_a_backup_folder_the_scheduled_backup_does_nothing(settings: Any) -> None:
    from govsites.deployment.tasks import scheduled_backup

    settings.GOVSITES_BACKUP_DIR = ""
    assert "跳过" in scheduled_backup.call()
