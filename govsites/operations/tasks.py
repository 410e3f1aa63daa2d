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
