"""Fixtures for deployment tests: a private published tree and data folder per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def publish_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "published"
    settings.GOVSITES_PUBLISH_ROOT = str(root)
    settings.DATA_DIR = tmp_path
    return root


#: Redis for tests: the machine's server on loopback, a database number of our own.
REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_url() -> str:
    import redis

    from govsites.testing.tools import require

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
        reachable = True
    except redis.exceptions.ConnectionError:
        reachable = False
    require(reachable, "Redis is not running at 127.0.0.1:6379")
    return REDIS_TEST_URL


@pytest.fixture
def closed_port_redis_url() -> str:
    from govsites.testing.tools import free_port

    return f"redis://127.0.0.1:{free_port()}/0"
