"""Bulk import (整合迁移): read and validate a JSON Lines file, then write it in batches.

- `files`: the file and its attachments as files (size limits, BOM, containment);
- `parsing`: records validated into `ImportRecord`s, every error with its line number;
- `writing`: validated records written in short transactions, search and reference indexing
  deferred to one task per batch;
- `runs`: the resumable import record (`ImportRun`): start, resume, finish, roll back.

See docs/import-format.md.
"""

from .files import ImportFileRefused, contained_attachment
from .parsing import (
    ITEM_CLASSES,
    ImportFileInvalid,
    ImportRecord,
    existing_item,
    parse_record,
    read_file,
    resolve_column,
)

__all__ = [
    "ITEM_CLASSES",
    "ImportFileInvalid",
    "ImportFileRefused",
    "ImportRecord",
    "contained_attachment",
    "existing_item",
    "parse_record",
    "read_file",
    "resolve_column",
]
