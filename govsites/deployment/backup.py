"""`govsites backup`: one consistent archive of an installation (see archive.py).

Consistency: the database dump is one snapshot (pg_dump's transaction; SQLite's online
backup API); the audit head is read before it, so the dump contains at least that head.
Media and table versions are only ever added under new names, so files copied after the
dump are a superset of what the dump refers to.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from govsites.core import audit

from .archive import (
    DATABASE_FILES,
    FORMAT,
    MANIFEST,
    MEDIA_PREFIX,
    META,
    OPENDATA_PREFIX,
    BackupError,
    BackupMeta,
    write_checksum,
)

logger = logging.getLogger(__name__)
ARCHIVE_PREFIX = "govsites-backup-"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sm3: str
    size: int
    meta: BackupMeta


def postgres_program(name: str) -> str:
    """pg_dump / pg_restore of the server's major version (GOVSITES_PG_BIN_DIR, else the
    Debian layout, else PATH)."""
    configured = getattr(settings, "GOVSITES_PG_BIN_DIR", "")
    candidates = [Path(configured) / name] if configured else []
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}（PostgreSQL {major} 客户端）：请安装 postgresql-client-{major} "
                          "或设置 GOVSITES_PG_BIN_DIR")
    return found


def postgres_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        # A connection of its own: it reads the last committed state (WAL lets it read while
        # another connection writes), and never waits on a transaction of this process.
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
    elif connection.vendor == "postgresql":
        env, args = postgres_env_and_args()
        done = subprocess.run([postgres_program("pg_dump"), "--format=custom", "--no-owner",
                               "--no-privileges", "--file", str(target), *args],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败：{done.stderr.strip()[-500:]}")
    else:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库")


def walk_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage (local disk or bucket), depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from walk_storage(storage, f"{folder}/{sub}" if folder else sub)


def opendata_root() -> Path:
    return Path(getattr(settings, "GOVSITES_OPENDATA_ROOT", Path(settings.DATA_DIR) / "opendata"))


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _manifest_lines() -> Iterator[bytes]:
    from govsites.publishing.selectors import manifest_rows

    for hostname, path, sm3, size in manifest_rows():
        yield (json.dumps({"host": hostname, "path": path, "sm3": sm3, "size": size},
                          ensure_ascii=False) + "\n").encode("utf-8")


def _audit_head() -> str:
    from govsites.core.models import AuditChainHead

    audit.chain_pending()
    head = AuditChainHead.objects.filter(pk=1).first()
    return f"{head.last_seq}:{head.last_hash}" if head else f"0:{audit.GENESIS}"


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list(
            "app", "name"):
        latest[app] = name
    return latest


def create_backup(*, out_dir: Path, acting_user: Any = None) -> BackupResult:
    """Write one archive and its SM3 checksum into out_dir; audit it; return where it is."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = out_dir / f"{ARCHIVE_PREFIX}{stamp}.tar"
    if final.exists():
        raise BackupError(f"{final.name} 已存在（同一秒内的第二次备份），请稍后再试")
    head = _audit_head()
    database_file = DATABASE_FILES.get(connection.vendor)
    if database_file is None:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库")
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".tar", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".dump-") as work:
            dump = Path(work) / database_file
            _dump_database(dump)
            counts = {"media": 0, "opendata": 0, "published": 0}
            with tarfile.open(tmp, "w") as tar:
                tar.add(dump, arcname=database_file)
                manifest = b"".join(_manifest_lines())
                counts["published"] = manifest.count(b"\n")
                _add_bytes(tar, MANIFEST, manifest)
                for name in walk_storage(default_storage):
                    with default_storage.open(name, "rb") as fh:
                        _add_bytes(tar, MEDIA_PREFIX + name, fh.read())
                    counts["media"] += 1
                root = opendata_root()
                if root.is_dir():
                    for path in sorted(p for p in root.rglob("*") if p.is_file()):
                        tar.add(path, arcname=OPENDATA_PREFIX + path.relative_to(root).as_posix())
                        counts["opendata"] += 1
                meta = BackupMeta(
                    format=FORMAT, vendor=connection.vendor, created_at=timezone.now().isoformat(),
                    node=socket.gethostname(), audit_head=head,
                    published_files=counts["published"], media_files=counts["media"],
                    opendata_files=counts["opendata"], database_file=database_file,
                    migrations=_migrations())
                _add_bytes(tar, META, meta.to_json())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    digest = write_checksum(final)
    result = BackupResult(final, digest, final.stat().st_size, meta)
    with transaction.atomic():
        audit.record(action="deployment.backup", actor=acting_user, details={
            "file": final.name, "sm3": digest, "bytes": result.size, "audit_head": head,
            "media_files": meta.media_files, "published_files": meta.published_files})
    return result


def backups_in(folder: Path) -> list[Path]:
    """The archives in a folder, oldest first (names sort by time)."""
    return sorted(p for p in folder.glob(f"{ARCHIVE_PREFIX}*.tar") if p.is_file())


def prune_backups(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (and their checksums); return the deleted."""
    if keep < 1:
        raise BackupError("保留份数至少为 1")
    old = backups_in(folder)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".sm3").unlink(missing_ok=True)
    return old
