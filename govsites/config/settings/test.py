"""Settings for the test suite: fast hashing, no outbound network, SQLite or DATABASE_URL."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("GOVSITES_DATA_DIR", tempfile.mkdtemp(prefix="govsites-test-"))
# The suite runs on PostgreSQL too; that is not a production start (no refusals, loopback hosts).
os.environ.setdefault("GOVSITES_ENV", "test")

from .base import *  # noqa: F403
from .base import DATA_DIR, GOVSITES_EXTRA_HOSTS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(DATA_DIR) / "media"
GOVSITES_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
# Tests build sites without the review chain unless they ask for it (ensure_default_workflow).
GOVSITES_ASSIGN_REVIEW_WORKFLOW_ON_SITE_CREATE = False
DEBUG = False
# Django's test client sends Host: testserver (Django adds it to ALLOWED_HOSTS the same way).
GOVSITES_EXTRA_HOSTS = [*GOVSITES_EXTRA_HOSTS, "testserver"]

if DATABASES["default"]["ENGINE"] == "govsites.core.sqlite":  # noqa: F405
    # A file, not :memory:, so tests that use threads see real SQLite locking (WAL).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(DATA_DIR) / "test.sqlite3")}  # noqa: F405
