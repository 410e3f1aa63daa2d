"""PostgreSQL prices the tsvector match as what it costs (search/planner.py)."""

from __future__ import annotations

import pytest
from django.db import connection

from govsites.search import planner

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_migrate_gives_the_match_function_its_measured_cost() -> None:
    if connection.vendor != "postgresql":
        assert planner.match_cost() is None
        assert planner.set_match_cost() is False
        return
    assert planner.match_cost() == planner.MATCH_COST  # set by the test database's migrate

