"""Background jobs of operations (thin: each calls one function of the app)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def import_visit_logs() -> dict[str, int]:
    """Count the new lines of the visit logs (nginx's, or the embedded mode's)."""
    from .ingest import import_logs

    results = import_logs()
    return {"files": len(results), "lines": sum(r.lines for r in results)}


periodic.register("operations.visits_import", every=dt.timedelta(minutes=5),
                  task=import_visit_logs, description="导入网站访问日志（访问统计）",
                  interval_setting="GOVSITES_VISITS_IMPORT_INTERVAL_SECONDS")


@task()
def annual_reports_round() -> dict[str, int]:
    """Daily: draft last year's reports in January (once each) and remind about due ones."""
    from django.utils import timezone

    from . import reports

    drafted = reports.draft_last_years_reports() if timezone.localdate().month == 1 else 0
    return {"drafted": drafted, "reminded": reports.remind_due_reports()}


periodic.register("operations.annual_reports", every=dt.timedelta(days=1),
                  task=annual_reports_round, description="年度报表：1月生成上年度草稿，临近截止日提醒")
