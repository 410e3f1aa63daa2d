"""One demo load for the demo's tests (it takes 10-25 s; it was loaded once per test).

`demo_cluster` loads the demo once for this package, inside a transaction that is rolled back
after the package's last test; each test runs in its own savepoint inside it (pytest-django's
`db`), so a test's changes are gone before the next one starts, as with a load per test. The
tests carry `xdist_group("demo")` (the Makefile runs xdist with --dist loadgroup), so one
worker runs them all, one after the other, on its one load. A test here must not be
transactional (a flush inside the shared transaction would empty the demo).
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_cluster(django_db_setup: Any, django_db_blocker: Any,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo cluster, loaded once; its printed output."""
    opendata = tmp_path_factory.mktemp("demo-opendata")
    with (django_db_blocker.unblock(), override_settings(GOVSITES_OPENDATA_ROOT=opendata),
          transaction.atomic()):
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_cluster: str, db: Any, request: pytest.FixtureRequest) -> str:
    """The shared demo, in this test's own savepoint."""
    marker = request.node.get_closest_marker("django_db")
    assert marker is None or not marker.kwargs.get("transaction"), \
        "a transactional test would flush the shared demo"
    return demo_cluster
