"""`govsites restore ARCHIVE`: rebuild an installation from a backup on an empty machine.

Steps, each refusing with a clear message before anything is changed: the archive's SM3
matches its checksum file; it is this platform's; its database vendor is this
installation's; the database is empty (no migrations applied). Then the database is loaded
(SQLite online backup into the connection; pg_restore in one transaction), media and table
versions are written back, migrations newer than the backup are applied, the published tree
is regenerated and compared with the archived manifest, and finally `audit verify` (with the
archived head as an anchor) and `guard verify` are run.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from govsites.core import audit

from .archive import (
    MANIFEST,
    MEDIA_PREFIX,
    OPENDATA_PREFIX,
    BackupError,
    BackupMeta,
    read_meta,
    safe_member_name,
    verify_checksum,
)
from .backup import opendata_root, postgres_env_and_args, postgres_program

logger = logging.getLogger(__name__)


@dataclass
class RestoreResult:
    meta: BackupMeta
    sm3: str
    media_files: int = 0
    opendata_files: int = 0
    published_files: int = 0
    manifest_differences: list[str] = field(default_factory=list)
    audit_problem: str = ""
    guard_incidents: int = 0

    @property
    def ok(self) -> bool:
        return not self.audit_problem and not self.guard_incidents


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if MigrationRecorder.Migration._meta.db_table not in tables:
        return not tables
    return not MigrationRecorder(connection).migration_qs.exists()


def _load_database(tar: tarfile.TarFile, meta: BackupMeta, work: Path) -> None:
    member = tar.getmember(meta.database_file)
    tar.extract(member, work, filter="data")
    dump = work / meta.database_file
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        env, args = postgres_env_and_args()
        done = subprocess.run([postgres_program("pg_restore"), "--no-owner", "--no-privileges",
                               "--exit-on-error", "--single-transaction", *args, str(dump)],
                              env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BackupError(f"pg_restore 失败（数据库未改动）：{done.stderr.strip()[-500:]}")
    connection.close()  # the next query sees the restored database from a fresh connection


def _restore_files(tar: tarfile.TarFile, result: RestoreResult) -> None:
    root = opendata_root()
    for member in tar:
        if not member.isfile():
            continue
        fh = tar.extractfile(member)
        if fh is None:
            continue
        if (name := safe_member_name(member.name, MEDIA_PREFIX)) is not None:
            default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(fh.read()))
            if saved != name:
                raise BackupError(f"媒体文件 {name} 无法按原名写回（存为 {saved}）")
            result.media_files += 1
        elif (name := safe_member_name(member.name, OPENDATA_PREFIX)) is not None:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                shutil.copyfileobj(fh, out)
            result.opendata_files += 1


def _archived_manifest(tar: tarfile.TarFile) -> dict[tuple[str, str], tuple[str, int]]:
    fh = tar.extractfile(MANIFEST)
    rows = {}
    for line in (fh.read().decode("utf-8").splitlines() if fh else []):
        row = json.loads(line)
        rows[(row["host"], row["path"])] = (row["sm3"], int(row["size"]))
    return rows


def compare_manifests(archived: dict[tuple[str, str], tuple[str, int]]) -> list[str]:
    """The files whose regenerated version differs from the archived manifest."""
    from govsites.publishing.selectors import manifest_rows

    now = {(h, p): (s, n) for h, p, s, n in manifest_rows()}
    differences = [f"缺少 {h}/{p}" for (h, p) in sorted(archived.keys() - now.keys())]
    differences += [f"多出 {h}/{p}" for (h, p) in sorted(now.keys() - archived.keys())]
    differences += [f"内容不同 {h}/{p}" for key in sorted(archived.keys() & now.keys())
                    if archived[key] != now[key] for h, p in [key]]
    return differences


def restore_backup(*, archive: Path, acting_user: Any = None) -> RestoreResult:
    """Restore an installation from an archive into this (empty) one; see module docstring."""
    from govsites.publishing import guard
    from govsites.publishing.services import rebuild_sites

    digest = verify_checksum(archive)
    with tarfile.open(archive, "r") as tar:
        meta = read_meta(tar)
        if meta.vendor != connection.vendor:
            raise BackupError(f"备份来自 {meta.vendor} 数据库，本安装使用 {connection.vendor}："
                              "请在同类数据库上恢复，未做任何更改")
        if not _database_is_empty():
            raise BackupError("目标数据库不是空的（已有迁移记录）：恢复只在新安装上进行，"
                              "请先新建空数据库，未做任何更改")
        result = RestoreResult(meta=meta, sm3=digest)
        with tempfile.TemporaryDirectory(prefix="govsites-restore-") as work:
            _load_database(tar, meta, Path(work))
        _restore_files(tar, result)
        archived = _archived_manifest(tar)
    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    caches["default"].clear()  # nothing cached describes the restored database
    rebuild_sites(acting_user=acting_user)
    result.manifest_differences = compare_manifests(archived)
    from govsites.publishing.selectors import manifest_rows

    result.published_files = len(manifest_rows())
    audit.chain_pending()
    problem = audit.verify_chain()
    seq, _sep, head_hash = meta.audit_head.partition(":")
    if problem is not None:
        result.audit_problem = problem.message
    elif int(seq) and not audit.chain_contains(int(seq), head_hash):
        result.audit_problem = f"备份时的审计链头 {meta.audit_head[:24]}… 不在恢复后的链中"
    report = guard.verify(acting_user=acting_user)
    result.guard_incidents = len(report.incidents) + len(report.alerts)
    with transaction.atomic():
        audit.record(action="deployment.restore", actor=acting_user, details={
            "file": archive.name, "sm3": digest, "backup_created_at": meta.created_at,
            "audit_head": meta.audit_head, "media_files": result.media_files,
            "manifest_differences": len(result.manifest_differences),
            "audit_ok": not result.audit_problem, "guard_incidents": result.guard_incidents})
    return result
