"""Where a table version's files live: GOVSITES_OPENDATA_ROOT/<dataset id>/<version id>/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings


def version_dir(version: Any) -> Path:
    return Path(settings.GOVSITES_OPENDATA_ROOT) / str(version.dataset_id) / str(version.pk)


def parquet_path(version: Any) -> Path:
    return version_dir(version) / "data.parquet"


def store_path(version: Any) -> Path:
    """The version's DuckDB query store (query.store_path of its Parquet file)."""
    return version_dir(version) / "data.duckdb"


def original_path(version: Any) -> Path:
    suffix = Path(version.original_name).suffix.lower() or ".csv"
    return version_dir(version) / f"original{suffix}"


def keep(version: Any, *, original: Path, parquet: Path, store: Path | None = None) -> None:
    """Move an ingest's files into the version's directory (the query store last: it is
    read only when present, so a half-moved version is read from its Parquet file)."""
    target = version_dir(version)
    target.mkdir(parents=True, exist_ok=True)
    shutil.move(str(original), original_path(version))
    shutil.move(str(parquet), parquet_path(version))
    if store is not None:
        shutil.move(str(store), store_path(version))


def discard(version: Any) -> None:
    shutil.rmtree(version_dir(version), ignore_errors=True)
