"""Background work of open data: the daily freshness check (runs under `govsites worker`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task

from govsites.core import periodic


@task()
def check_freshness() -> dict[str, Any]:
    """List datasets past their update period and open a ticket for each new one."""
    from govsites.core.calendar import CalendarDataMissing

    from . import freshness

    try:
        tickets = freshness.open_stale_tickets()
    except CalendarDataMissing as error:  # the ticket deadline needs the holiday calendar
        return {"stale": len(freshness.stale_datasets()), "tickets": 0, "error": str(error)}
    return {"stale": len(freshness.stale_datasets()), "tickets": len(tickets)}


periodic.register(
    "opendata.freshness", every=dt.timedelta(days=1), task=check_freshness,
    description="数据集更新及时性检查（超出更新频率的数据集开具整改单）",
)
