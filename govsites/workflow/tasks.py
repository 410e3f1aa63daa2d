"""Background jobs of the review chain (thin: each calls one function)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from govsites.core import periodic


@task()
def remind_overdue_reviews() -> int:
    """Remind the reviewers of steps past their deadline; return how many notices were sent."""
    from .notices import remind_overdue_reviews as remind

    return remind()


periodic.register("workflow.remind_overdue_reviews", every=dt.timedelta(hours=1),
                  task=remind_overdue_reviews,
                  description="审核逾期提醒（每个审核人每条信息每天一次）")
