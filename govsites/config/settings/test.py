"""Settings for the test suite: fast hashing, no outbound network, SQLite or DATABASE_URL."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("GOVSITES_DATA_DIR", tempfile.mkdtemp(prefix="govsites-test-"))
# The suite runs on PostgreSQL too; that is not a production start (no refusals, loopback hosts).
os.environ.setdefault("GOVSITES_ENV", "test")

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, GOVSITES_EXTRA_HOSTS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite's cache is local memory, emptied before each test (conftest.py), so tests that
# never touch the database may still use the cache; the shipped database cache has its own
# tests (core/tests/test_processes_share_cache.py) and is what every server and command runs with.
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(DATA_DIR) / "media"
GOVSITES_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
# Tests build sites without the review chain unless they ask for it (ensure_default_workflow).
GOVSITES_ASSIGN_REVIEW_WORKFLOW_ON_SITE_CREATE = False
DEBUG = False
# Django's test client sends Host: testserver (Django adds it to ALLOWED_HOSTS the same way).
GOVSITES_EXTRA_HOSTS = [*GOVSITES_EXTRA_HOSTS, "testserver"]

if DATABASES["default"]["ENGINE"] == "govsites.core.sqlite":
    # A file, not :memory:, so tests that use threads see real SQLite locking (WAL).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}
    # The test framework opens and closes the test database's connections itself (and the
    # suite's threads and live servers close theirs); the shipped 60 s is checked in
    # core/tests/test_processes_share_cache.py and served by the smoke test.
    # (A copy: base.DATABASES keeps what the shipped settings say.)
    DATABASES = {**DATABASES, "default": {**DATABASES["default"], "CONN_MAX_AGE": 0}}
