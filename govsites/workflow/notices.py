"""Reminders of the review chain: steps past their deadline (审核逾期提醒).

A periodic job (`tasks.remind_overdue_reviews`) calls `remind_overdue_reviews` every hour; the
notification layer sends each reviewer one notice per step per day, by e-mail and/or SMS as
they chose (govsites.core.notifications). The notice names the item, the step, the deadline
and the site, and links to 我的待办; it carries nothing the item's readers could not see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from govsites.core import notifications

from . import selectors
from .models import ReviewTaskState


def _admin_url(path: str) -> str:
    return f"{str(settings.WAGTAILADMIN_BASE_URL).rstrip('/')}{path}"


def overdue_notice(state: ReviewTaskState, item: Any) -> notifications.Notice:
    """Return the reminder for one overdue step."""
    title = str(getattr(item, "title", "") or _("（无标题）"))
    return notifications.Notice(
        kind=notifications.REVIEW_OVERDUE, item_key=f"review-step:{state.pk}",
        subject=_("审核逾期：%(title)s") % {"title": title[:80]},
        body=_("“%(title)s”在“%(step)s”步骤等待审核，办理期限为%(due)s，已逾期。"
               "请登录后台在“我的待办”中处理。") % {
            "title": title, "step": state.task.name,
            "due": state.due_on.isoformat() if state.due_on else ""},
        url=_admin_url(reverse("govsites_workflow:my_tasks")))


def remind_overdue_reviews(*, today: dt.date | None = None) -> int:
    """Tell the reviewers of every overdue step (once a day each); return notices recorded."""
    sent = 0
    for state in selectors.overdue_review_steps(today):
        item = state.workflow_state.content_object
        if item is None:
            continue
        notice = overdue_notice(state, getattr(item, "specific", item))
        sent += len(notifications.notify(notice=notice, recipients=selectors.reviewers_for(state),
                                         day=today))
    return sent
