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


@task()
def forward_to_hotline_task(*, forward_id: int) -> str:
    """Push one message to the 12345 hotline (after the message's transaction commits)."""
    from .hotline import send_forward

    return send_forward(forward_id=forward_id).status


@task()
def retry_hotline_forwards_task() -> int:
    """Push again every message the 12345 hotline has not taken yet; return how many tried."""
    from .hotline import retry_due_forwards

    return retry_due_forwards()


periodic.register("interaction.hotline_retry", every=dt.timedelta(minutes=5),
                  task=retry_hotline_forwards_task, description="重试推送12345热线失败的留言")
