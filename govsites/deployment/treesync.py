"""The published tree in object storage, and each web node's copy of it.

The bucket holds the tree by content: `tree/<sm3>` is a file whose SM3 digest is <sm3>. The
publisher uploads each new file before confirming it in the manifest (publishing/mirror.py),
so a confirmed manifest row always names an object that is there, and an object never
changes once written (no reader can catch it half-replaced).

`govsites sync` makes this node's tree equal to the manifest: for every confirmed row whose
local file is missing or differs, it downloads `tree/<sm3>`, checks SM3 and size, and puts it
in place with an atomic rename; a local file that no manifest row names is deleted; the map
of retired addresses is rewritten (and nginx reloaded when it changed). Files are hashed only
when their size or mtime changed since the last sync (a state file in DATA_DIR).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from govsites.core.audit import sm3_hex

from .storage import s3_client

logger = logging.getLogger(__name__)
TREE_PREFIX = "tree/"
STATE_FILE = "tree-sync-state.json"


class SyncError(Exception):
    """A file from object storage was not the one the manifest names; nothing was replaced."""


def _bucket() -> str:
    return str(settings.GOVSITES_S3_BUCKET)


class S3TreeMirror:
    """The publisher's mirror: content-addressed objects in the configured bucket."""

    def __init__(self) -> None:
        self.client = s3_client()

    def upload(self, files: list[tuple[str, bytes]]) -> None:
        seen: set[str] = set()
        for digest, data in files:
            if digest in seen:
                continue
            seen.add(digest)
            self.client.put_object(Bucket=_bucket(), Key=TREE_PREFIX + digest, Body=data)


@dataclass
class SyncReport:
    checked: int = 0
    fetched: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fetched or self.deleted)


def _state_path(root: Path) -> Path:
    return Path(settings.DATA_DIR) / STATE_FILE


def _load_state(root: Path) -> dict[str, list[Any]]:
    try:
        data: dict[str, list[Any]] = json.loads(_state_path(root).read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {}


def _local_digest(path: Path, key: str, state: dict[str, list[Any]]) -> str | None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if not path.is_file() or path.is_symlink():
        return None
    remembered = state.get(key)
    if remembered and remembered[1] == st.st_size and remembered[2] == st.st_mtime_ns:
        return str(remembered[0])
    digest = sm3_hex(path.read_bytes())
    state[key] = [digest, st.st_size, st.st_mtime_ns]
    return digest


def _fetch(client: Any, digest: str, size: int) -> bytes:
    body = client.get_object(Bucket=_bucket(), Key=TREE_PREFIX + digest)["Body"].read()
    if len(body) != size or sm3_hex(body) != digest:
        raise SyncError(f"对象 {TREE_PREFIX}{digest[:16]}… 与发布清单不符（SM3 或大小不同），未替换本地文件")
    return bytes(body)


def sync_tree(*, client: Any = None) -> SyncReport:
    """Make this node's published tree equal to the confirmed manifest (module docstring)."""
    from govsites.publishing.paths import is_temp_name, publish_root, write_atomic
    from govsites.publishing.selectors import manifest_rows, pending_paths

    client = client or s3_client()
    root = publish_root()
    root.mkdir(parents=True, exist_ok=True)
    state = _load_state(root)
    report = SyncReport()
    wanted: set[str] = set()
    for hostname, rel, digest, size in manifest_rows():
        key = f"{hostname}/{rel}"
        wanted.add(key)
        report.checked += 1
        path = root / hostname / rel
        if _local_digest(path, key, state) == digest:
            continue
        try:
            data = _fetch(client, digest, size)
        except Exception as exc:  # one bad object must not stop the rest of the tree
            logger.error("同步 %s 失败：%s", key, exc)
            report.failed.append(key)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            path.unlink()
        write_atomic(path, data)
        st = path.stat()
        state[key] = [digest, st.st_size, st.st_mtime_ns]
        report.fetched.append(key)
    keep = wanted | pending_paths()
    for host_dir in (p for p in root.iterdir() if p.is_dir()):
        for current, _dirs, files in os.walk(host_dir):
            for name in files:
                full = Path(current) / name
                key = full.relative_to(root).as_posix()
                if key in keep or is_temp_name(name):
                    continue
                full.unlink(missing_ok=True)
                state.pop(key, None)
                report.deleted.append(key)
    for key in [k for k in state if k not in wanted]:
        state.pop(key, None)
    _state_path(root).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(_state_path(root), json.dumps(state, separators=(",", ":")).encode())
    return report
