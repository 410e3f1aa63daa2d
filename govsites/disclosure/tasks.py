"""Background jobs of the disclosure app (thin: each calls one function)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def disclosure_daily_round() -> dict[str, int]:
    """Close lapsed periods, remind about deadlines, draft annual reports."""
    from .reminders import daily_round

    return daily_round()


periodic.register("disclosure.daily_round", every=dt.timedelta(hours=6),
                  task=disclosure_daily_round,
                  description="依申请公开：逾期办结、到期提醒、年度报告草稿")
