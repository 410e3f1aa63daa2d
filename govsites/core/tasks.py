"""Background jobs of core (thin: each calls one function of the app)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from . import periodic


@task()
def chain_audit_records() -> int:
    """Chain the audit records that no writer's after-commit step chained; return how many."""
    from .audit import chain_pending

    return chain_pending()


periodic.register("core.audit_chain", every=dt.timedelta(seconds=30), task=chain_audit_records,
                  description="审计记录按序链入 SM3 链")
