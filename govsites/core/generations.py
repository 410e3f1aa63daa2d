"""Cache generations: a key whose value names the current version of a family of cached
entries. Entries put the generation in their own keys; renewing it makes all of them miss at
once, in every process that shares the cache, without finding and deleting each one."""

from __future__ import annotations

import uuid

from django.core.cache import cache


def current(key: str) -> str:
    """The generation stored under `key` (created on first use; kept without expiry)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key) or ""
    return str(value)


def renew(key: str) -> None:
    """Start a new generation under `key`: every entry named with the old one misses."""
    cache.set(key, uuid.uuid4().hex, None)
