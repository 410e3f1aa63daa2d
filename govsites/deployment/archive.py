"""The backup archive's format: one tar file and its SM3 checksum beside it.

    govsites-backup-20261201T180000Z.tar        the archive
    govsites-backup-20261201T180000Z.tar.sm3    "<sm3 hex>  <archive name>"

Members: `database.sqlite3` (SQLite online backup) or `database.pgdump` (pg_dump custom
format), `media/…` (every stored upload), `opendata/…` (table versions), `manifest.jsonl`
(the published tree's manifest: host, path, SM3, size per file) and `backup.json` (what this
is: format, database vendor, time, audit head, counts). The tree itself is not archived: it
is regenerated from the database on restore and compared with the manifest.
"""

from __future__ import annotations

import json
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes

FORMAT = "govsites-backup/1"
META = "backup.json"
MANIFEST = "manifest.jsonl"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
OPENDATA_PREFIX = "opendata/"
CHECKSUM_SUFFIX = ".sm3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


@dataclass
class BackupMeta:
    format: str
    vendor: str
    created_at: str
    node: str
    audit_head: str
    published_files: int
    media_files: int
    opendata_files: int
    database_file: str
    migrations: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> BackupMeta:
        raw: dict[str, Any] = json.loads(data)
        if raw.get("format") != FORMAT:
            raise BackupError(f"不是本平台的备份文件（格式 {raw.get('format')!r}，应为 {FORMAT}）")
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def sm3_of_file(path: Path) -> str:
    """SM3 of a file, read in chunks (archives can be large)."""
    digest = hashes.Hash(hashes.SM3())
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.finalize().hex()


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + CHECKSUM_SUFFIX)


def write_checksum(archive: Path) -> str:
    value = sm3_of_file(archive)
    checksum_path(archive).write_text(f"{value}  {archive.name}\n", encoding="utf-8")
    return value


def verify_checksum(archive: Path) -> str:
    """Return the archive's SM3 when it matches the checksum file beside it; else refuse."""
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    sidecar = checksum_path(archive)
    if not sidecar.is_file():
        raise BackupError(f"缺少校验文件 {sidecar.name}：无法确认备份完整，未做任何更改")
    expected = sidecar.read_text(encoding="utf-8").split()[0].strip().lower()
    actual = sm3_of_file(archive)
    if actual != expected:
        raise BackupError(f"备份文件 SM3 校验失败（应为 {expected[:16]}…，实为 {actual[:16]}…）："
                          "文件已损坏或被改动，未做任何更改")
    return actual


def read_meta(tar: tarfile.TarFile) -> BackupMeta:
    try:
        member = tar.getmember(META)
    except KeyError:
        raise BackupError(f"备份文件中没有 {META}，不是本平台的备份") from None
    fh = tar.extractfile(member)
    if fh is None:
        raise BackupError(f"备份文件中的 {META} 不可读")
    return BackupMeta.from_json(fh.read())


def safe_member_name(name: str, prefix: str) -> str | None:
    """The path below prefix of an archive member, or None for anything odd (traversal)."""
    if not name.startswith(prefix):
        return None
    rest = name[len(prefix):]
    parts = rest.split("/")
    if not rest or rest.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return rest

