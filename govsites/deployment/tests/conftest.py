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


@pytest.fixture(scope="session")
def moto_server() -> Any:
    """An S3-compatible server on loopback (moto), for the session."""
    import subprocess
    import sys

    from govsites.testing.tools import free_port, wait_for_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def bucket(moto_server: str, settings: Any) -> Any:
    """A fresh bucket on the moto server, configured as the installation's object storage."""
    import uuid

    import boto3

    from govsites.publishing.mirror import _mirror_for

    name = f"govsites-{uuid.uuid4().hex[:8]}"
    settings.GOVSITES_S3_BUCKET = name
    settings.GOVSITES_S3 = {"bucket_name": name, "endpoint_url": moto_server,
                            "region_name": "us-east-1", "access_key": "testing",
                            "secret_key": "testing"}
    settings.GOVSITES_TREE_MIRROR = "govsites.deployment.treesync.S3TreeMirror"
    _mirror_for.cache_clear()
    client = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=name)
    yield client
    _mirror_for.cache_clear()
