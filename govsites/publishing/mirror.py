"""A copy of the published tree elsewhere (object storage), kept by the publisher itself.

Settings name the mirror (GOVSITES_TREE_MIRROR, a dotted path to a class with `upload`);
empty means none, the embedded default. The publisher hands each batch's new files to the
mirror after writing them to its own disk and before confirming them in the manifest, so a
confirmed manifest row always names a file the mirror holds: any web node can pull it
(`govsites sync`). A mirror that fails makes the batch fail before it is confirmed, exactly
like a full disk would.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class TreeMirror(Protocol):
    def upload(self, files: list[tuple[str, bytes]]) -> None:
        """Store each (SM3 hex digest, bytes) pair; already stored digests may be skipped."""


@lru_cache(maxsize=1)
def _mirror_for(path: str) -> TreeMirror | None:
    return import_string(path)() if path else None


def current_mirror() -> TreeMirror | None:
    """The configured mirror, or None."""
    return _mirror_for(str(getattr(settings, "GOVSITES_TREE_MIRROR", "") or ""))
