"""A process keeps the rule values it read outside a transaction for a few seconds (two queries
and the merge per read were a tenth of a citizen's submission), and drops them on a change."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from govsites.rules import resolve
from govsites.rules.services import set_override

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "opendata.api.rate_limit_per_minute"


def test_a_snapshot_read_outside_a_transaction_is_reused_until_it_expires(
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = resolve.snapshot()
    assert resolve.snapshot() is first
    now = resolve.time.monotonic()
    monkeypatch.setattr(resolve.time, "monotonic", lambda: now + resolve.SNAPSHOT_SECONDS + 1)
    assert resolve.snapshot() is not first


def test_an_override_saved_in_this_process_is_read_at_once() -> None:
    before = resolve.snapshot().value(KEY)
    set_override(key=KEY, value=before + 7, reason="测试", acting_user=None)
    assert resolve.snapshot().value(KEY) == before + 7


def test_inside_a_transaction_nothing_is_kept_so_a_rolled_back_value_is_never_shared() -> None:
    before = resolve.snapshot().value(KEY)
    with transaction.atomic():
        set_override(key=KEY, value=before + 3, reason="测试", acting_user=None)
        inside = resolve.snapshot()
        assert inside.value(KEY) == before + 3
        assert resolve.snapshot() is not inside
        transaction.set_rollback(True)
    assert resolve.snapshot().value(KEY) == before


def test_each_site_keeps_its_own_snapshot(portal: Any) -> None:
    assert resolve.snapshot(site=portal.site) is resolve.snapshot(site=portal.site)
    assert resolve.snapshot(site=portal.site) is not resolve.snapshot()
