"""Writes of the publishing app that an operator starts (each audited once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from govsites.core import audit

from .rebuild import RebuildResult, rebuild


def rebuild_sites(*, acting_user: Any, site_ids: list[int] | None = None, jobs: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Rebuild the published tree of the chosen sites (all by default) from the database."""
    result = rebuild(site_ids=site_ids, jobs=jobs, progress=progress)
    with transaction.atomic():
        audit.record(action="publishing.rebuild", actor=acting_user, details={
            "sites": result.sites, "pages": result.stats.html_pages,
            "files_written": result.stats.files_written,
            "files_removed": result.stats.files_removed,
            "seconds": round(result.seconds, 2), "errors": result.stats.errors[:20]})
    return result
