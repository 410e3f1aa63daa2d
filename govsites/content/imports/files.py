"""The import file and its attachments as files: size limits, encoding, containment.

An import file may name attachments only inside its own folder (issue 8 #2): every path is
resolved, symlinks included, and anything that ends up outside the folder is refused. The
limits are settings (GOVSITES_IMPORT_*, docs/import-format.md).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.conf import settings


def max_file_bytes() -> int:
    """The largest import file accepted (GOVSITES_IMPORT_MAX_FILE_BYTES)."""
    return int(settings.GOVSITES_IMPORT_MAX_FILE_BYTES)


def max_body_chars() -> int:
    """The longest body of one record, in characters (GOVSITES_IMPORT_MAX_BODY_CHARS)."""
    return int(settings.GOVSITES_IMPORT_MAX_BODY_CHARS)


def max_attachment_bytes() -> int:
    """The largest attachment file accepted (GOVSITES_IMPORT_MAX_ATTACHMENT_BYTES)."""
    return int(settings.GOVSITES_IMPORT_MAX_ATTACHMENT_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class ImportFileRefused(ValueError):
    """The file as a whole cannot be read (too large, not UTF-8); the message says why."""


def check_file_size(path: Path) -> None:
    """Refuse an import file larger than the limit before reading it."""
    size = path.stat().st_size
    if size > max_file_bytes():
        raise ImportFileRefused(
            f"导入文件过大（{_megabytes(size)}，上限 {_megabytes(max_file_bytes())}）；"
            "请拆分为多个文件导入")


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes: the same file resumes the same import run."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of a UTF-8 file; a leading byte-order mark is accepted.

    Raise ImportFileRefused for a file over the size limit or not in UTF-8. A line longer than
    a record can be is reported by the caller without parsing it (see `line_too_long`).
    """
    check_file_size(path)
    try:
        with path.open(encoding="utf-8-sig", newline=None) as fh:
            yield from enumerate(fh, start=1)
    except UnicodeDecodeError as exc:
        raise ImportFileRefused(f"文件不是 UTF-8 编码：{exc.reason}（第 {exc.start} 字节附近）"
                                ) from exc


def line_too_long(text: str) -> str:
    """Return the error for a line that cannot hold a valid record, or ""."""
    # A record is its body plus metadata; JSON escaping may double the body's length.
    limit = 2 * max_body_chars() + 64 * 1024
    if len(text) > limit:
        return f"该行过长（{len(text)} 字符），正文最多 {max_body_chars()} 字"
    return ""


def check_body_length(body: str) -> None:
    """Refuse a body longer than the limit (a 50 MB page is never what a migration meant)."""
    if len(body) > max_body_chars():
        raise ValueError(f"正文过长（{len(body)} 字，上限 {max_body_chars()} 字）")


def contained_attachment(base_dir: Path, reference: str) -> Path:
    """Resolve an attachment path named in the file; refuse anything outside base_dir.

    Absolute paths (POSIX or Windows), `..` segments, and symlinks (to a file or through a
    symlinked folder) whose target lies outside the folder are refused with the reason; the
    result is the real path of a regular file inside it.
    """
    text = str(reference).strip()
    if not text:
        raise ValueError("附件路径为空")
    if "\x00" in text:
        raise ValueError("附件路径含非法字符")
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() \
            or PureWindowsPath(text).drive:
        raise ValueError(f"附件路径“{text}”是绝对路径；只能使用导入文件所在文件夹内的相对路径")
    if ".." in PurePosixPath(text.replace("\\", "/")).parts:
        raise ValueError(f"附件路径“{text}”含“..”；只能使用导入文件所在文件夹内的相对路径")
    root = base_dir.resolve()
    candidate = base_dir / text
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        raise ValueError(f"附件“{text}”指向导入文件所在文件夹之外（符号链接），已拒绝")
    if not resolved.is_file():
        raise ValueError(f"附件不存在：{text}")
    size = resolved.stat().st_size
    if size > max_attachment_bytes():
        raise ValueError(f"附件“{text}”过大（{_megabytes(size)}，上限 "
                         f"{_megabytes(max_attachment_bytes())}）")
    return resolved


def open_contained(base_dir: Path, path: Path) -> int:
    """Open an attachment for reading without following a symlink planted since validation.

    The path was resolved at validation; opening with O_NOFOLLOW makes a swap of the file for
    a symlink between validation and writing fail instead of reading the link's target.
    """
    if not path.is_relative_to(base_dir.resolve()):
        raise ValueError(f"附件“{path.name}”不在导入文件所在文件夹内")
    return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
