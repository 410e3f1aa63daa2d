"""Reminders to staff about their messages' deadlines (the daily job `interaction.reminders`).

- a message due within `interaction.remind_working_days_before` working days: its handlers
  are told (提醒), once a day;
- a message past its reply deadline: its handlers are alerted (超期), once a day;
- a closed consultation whose 采纳情况 is due within five days or late: its organisation;
- the 3-month guard: at each of `interaction.unanswered.alert_days` (60 and 80 days) the
  handling organisation and the mailbox's owner are alerted once, before the 单项否决 at 90.

Notices go through core.notifications (preferences, one per person per item per day, sent
after commit) and carry the query code, mailbox and dates only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from govsites import rules
from govsites.core.calendar import CalendarDataMissing, WorkingCalendar
from govsites.core.models import NotificationDelivery
from govsites.core.notifications import Notice, notify

from . import deadlines, notices, selectors

DUE = "interaction.due"
OVERDUE = "interaction.overdue"
UNANSWERED = "interaction.unanswered"


ADOPTION = "interaction.adoption"
ADOPTION_WARN_DAYS = 5


@dataclass(frozen=True)
class ReminderCounts:
    due: int
    overdue: int
    unanswered: int
    adoption: int = 0


def _sent_before(kind: str, item_key: str) -> bool:
    return NotificationDelivery.objects.filter(kind=kind, item_key=item_key).exists()


def remind_deadlines(*, today: dt.date | None = None) -> ReminderCounts:
    """Tell handlers about messages nearly due or overdue, and alert at 60 and 80 days."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()
    due = overdue = unanswered = 0
    for enquiry in selectors.open_enquiries():
        site = enquiry.mailbox.site
        handlers = notices.handlers_of(enquiry.handling_organisation)
        label = f"{enquiry.mailbox.name}留言 {enquiry.query_code}"
        if enquiry.reply_due < today:
            overdue += len(notify(notice=Notice(
                kind=OVERDUE, item_key=f"enquiry:{enquiry.pk}",
                subject=f"留言超期未答复：{label}",
                body=f"{label} 的答复期限为 {enquiry.reply_due.isoformat()}，已超期，请尽快答复。"),
                recipients=handlers, day=today))
        else:
            before = int(rules.value("interaction.remind_working_days_before", site=site))
            try:
                left = calendar.working_days_between(today, enquiry.reply_due)
            except CalendarDataMissing:
                left = (enquiry.reply_due - today).days
            if left <= before:
                due += len(notify(notice=Notice(
                    kind=DUE, item_key=f"enquiry:{enquiry.pk}",
                    subject=f"留言即将到期：{label}",
                    body=f"{label} 须在 {enquiry.reply_due.isoformat()} 前答复。"),
                    recipients=handlers, day=today))
        limit, alert_days = deadlines.unanswered_limits(site)
        age = (today - timezone.localtime(enquiry.received_at).date()).days
        reached = [d for d in alert_days if age >= d]
        if reached:
            key = f"enquiry:{enquiry.pk}:day{reached[-1]}"
            if not _sent_before(UNANSWERED, key):
                owners = handlers + notices.handlers_of(enquiry.mailbox.organisation)
                unanswered += len(notify(notice=Notice(
                    kind=UNANSWERED, item_key=key,
                    subject=f"留言已 {age} 天未答复：{label}",
                    body=f"{label} 已 {age} 天未答复；超过 {limit} 天未答复将导致网站单项否决。"),
                    recipients=owners, day=today))
    return ReminderCounts(due=due, overdue=overdue, unanswered=unanswered,
                          adoption=remind_adoptions(today=today))


def remind_adoptions(*, today: dt.date) -> int:
    """Remind the organisation of a closed consultation whose 采纳情况 is nearly due or late."""
    from .consultations import adoption_outstanding

    told = 0
    for consultation in adoption_outstanding(today=today):
        due = consultation.adoption_due
        if due is None or (due - today).days > ADOPTION_WARN_DAYS:
            continue
        late = today > due
        told += len(notify(notice=Notice(
            kind=ADOPTION, item_key=f"consultation:{consultation.pk}",
            subject=("意见采纳情况已逾期未公布：" if late else "意见采纳情况即将到期：")
            + consultation.title[:60],
            body=f"意见征集“{consultation.title[:60]}”已于 {consultation.closes_on.isoformat()} "
                 f"结束，采纳情况应在 {due.isoformat()} 前公布。"),
            recipients=notices.handlers_of(consultation.organisation), day=today))
    return told


def reminder_summary(counts: Any) -> str:
    return (f"即将到期 {counts.due}，超期 {counts.overdue}，长期未答复 {counts.unanswered}，"
            f"采纳情况 {counts.adoption}")
