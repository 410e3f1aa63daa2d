"""Background work of monitoring: inspections started from the admin, and the uptime prober.

`run_inspection` runs one 立即检查 queued by `services.request_inspection`.
The prober runs from `govsites worker` on a schedule, every hour by default (24 probes a day; the national rule asks for more than 20), changed with
`GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS` (read by the scheduler, not at import).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.tasks import task

from govsites.core import periodic
from govsites.core.calendar import CalendarDataMissing

logger = logging.getLogger(__name__)


@task()
def uptime_probe() -> dict[str, Any]:
    """Probe every online site once and record the outcomes (and any alert)."""
    from . import services

    outcomes = services.probe_all_sites()
    return {"probed": len(outcomes), "failed": sum(1 for o in outcomes if o == "failed"),
            "skipped": sum(1 for o in outcomes if o == "skipped")}


@task()
def run_inspection(*, inspection_id: int) -> dict[str, Any]:
    """Run a queued inspection, then open 整改单 for its serious and veto findings."""
    from . import services
    from .choices import InspectionStatus
    from .rulebook import load_rulebook

    inspection = services.run_requested_inspection(inspection_id=inspection_id)
    outcome: dict[str, Any] = {"inspection": inspection.pk, "status": inspection.status,
                               "verdict": inspection.verdict, "tickets": 0}
    if inspection.status == InspectionStatus.DONE and inspection.site is not None:
        try:
            opened = services.open_tickets(findings=services.stored_findings(inspection),
                                           organisation=inspection.site.host_organisation,
                                           site=inspection.site, inspection=inspection,
                                           acting_user=inspection.requested_by,
                                           rulebook=load_rulebook(site=inspection.site))
        except CalendarDataMissing as exc:  # the report stands; tickets wait for the calendar
            logger.warning("inspection %s: no tickets opened: %s", inspection.pk, exc)
            outcome["tickets_error"] = str(exc)
        else:
            outcome["tickets"] = len(opened)
    return outcome


periodic.register(
    "monitoring.uptime_probe", every=dt.timedelta(hours=1), task=uptime_probe,
    description="站点可用性探测（每天不少于20次，超时15秒）",
    interval_setting="GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS",
)
