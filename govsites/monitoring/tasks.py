"""Background work of monitoring: the uptime prober, run by `govsites worker` on a schedule.

Every hour by default (24 probes a day; the national rule asks for more than 20), changed with
`GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS` (read by the scheduler, not at import).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.tasks import task

from govsites.core import periodic


@task()
def uptime_probe() -> dict[str, Any]:
    """Probe every online site once and record the outcomes (and any alert)."""
    from . import services

    outcomes = services.probe_all_sites()
    return {"probed": len(outcomes), "failed": sum(1 for o in outcomes if o == "failed"),
            "skipped": sum(1 for o in outcomes if o == "skipped")}


periodic.register(
    "monitoring.uptime_probe", every=dt.timedelta(hours=1), task=uptime_probe,
    description="站点可用性探测（每天不少于20次，超时15秒）",
    interval_setting="GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS",
)
