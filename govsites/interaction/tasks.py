"""Background jobs for interaction (thin: each calls one service)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def remind_deadlines_task() -> str:
    """Remind handlers of due and overdue messages and raise the 60/80-day alerts."""
    from .reminders import remind_deadlines, reminder_summary

    return reminder_summary(remind_deadlines())


periodic.register("interaction.reminders", every=dt.timedelta(hours=6),
                  task=remind_deadlines_task, description="留言办理到期提醒和三个月未答复预警")
