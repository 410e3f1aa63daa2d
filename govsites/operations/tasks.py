"""Background jobs of operations (thin: each calls one function of the app)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

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


@task()
def lifecycle_round() -> dict[str, int]:
    """Daily: remind about temporary-offline periods at or near their planned end."""
    from django.utils.translation import gettext as _

    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    from .lifecycle import overdue_suspensions

    sent = 0
    for change in overdue_suspensions():
        site = change.site
        notice = notifications.Notice(
            kind="operations.suspension.due", item_key=f"operations.suspension.due:{change.pk}",
            subject=_("临时下线即将到期：%(site)s") % {"site": site.name},
            body=_("“%(site)s”计划于 %(day)s 恢复上线，请及时申请恢复上线（临时下线天数受规则限制）。")
            % {"site": site.name, "day": f"{change.ends_on:%Y-%m-%d}"})
        people = [*users_with_role("site_admin", site.host_organisation),
                  *users_with_role("supervisor", site.host_organisation)]
        sent += len(notifications.notify(notice=notice, recipients=people))
    return {"reminded": sent}


periodic.register("operations.lifecycle", every=dt.timedelta(days=1), task=lifecycle_round,
                  description="网站临时下线到期提醒")


@task()
def new_media_round() -> dict[str, int]:
    """Daily: read every running 政务新媒体 account's updates and raise or close alerts."""
    from .newmedia import check_all_accounts

    results = check_all_accounts()
    return {"checked": len(results), "alerts": sum(1 for r in results if r.alert)}


periodic.register("operations.new_media", every=dt.timedelta(days=1), task=new_media_round,
                  description="政务新媒体更新检查（僵尸号告警）",
                  interval_setting="GOVSITES_NEW_MEDIA_CHECK_INTERVAL_SECONDS")


@task()
def uptime_incidents_round() -> dict[str, int]:
    """Every 15 minutes: availability alerts that have lasted beyond the rule become incidents."""
    from .uptime_incidents import open_incidents_from_alerts

    return {"incidents": len(open_incidents_from_alerts())}


periodic.register("operations.uptime_incidents", every=dt.timedelta(minutes=15),
                  task=uptime_incidents_round,
                  description="持续超过时限的可用性告警登记为安全事件")


@task()
def opinion_round() -> dict[str, int]:
    """Hourly: alert the organisation about 政务舆情 clocks that ran out (IA-11)."""
    from django.utils.translation import gettext as _

    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    from .opinion import alert_late_events

    sent = 0
    late = alert_late_events()
    for item in late:
        event, clock = item.event, item.clock
        notice = notifications.Notice(
            kind="operations.opinion.overdue",
            item_key=f"operations.opinion.overdue:{event.pk}:{clock.name}",
            subject=_("政务舆情超时：%(title)s") % {"title": event.title},
            body=_("“%(title)s”应在发现后 %(hours)s 小时内（%(due)s 前）%(what)s，至今未登记。")
            % {"title": event.title, "hours": clock.hours, "what": clock.title,
               "due": f"{timezone.localtime(clock.due):%Y-%m-%d %H:%M}"})
        people = [*users_with_role("site_admin", event.organisation),
                  *users_with_role("supervisor", event.organisation)]
        sent += len(notifications.notify(notice=notice, recipients=people))
    return {"late": len(late), "notified": sent}


periodic.register("operations.opinion", every=dt.timedelta(hours=1), task=opinion_round,
                  description="政务舆情新闻发布会与回应时限告警")


@task()
def duty_gaps_round() -> dict[str, int]:
    """Daily: tell an organisation owing 24-hour duty about yesterday without duty or 读网 (RS-23)."""
    from django.utils.translation import gettext as _

    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    from .duty import duty_gaps

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    gaps = duty_gaps(yesterday, yesterday)
    sent = 0
    for gap in gaps:
        notice = notifications.Notice(
            kind="operations.duty.gap",
            item_key=f"operations.duty.gap:{gap.organisation.pk}:{gap.day:%Y-%m-%d}",
            subject=_("值班记录缺失：%(day)s") % {"day": f"{gap.day:%Y-%m-%d}"}, body=gap.message)
        people = [*users_with_role("site_admin", gap.organisation),
                  *users_with_role("duty_officer", gap.organisation)]
        sent += len(notifications.notify(notice=notice, recipients=people))
    return {"gaps": len(gaps), "notified": sent}


periodic.register("operations.duty_gaps", every=dt.timedelta(days=1), task=duty_gaps_round,
                  description="24小时值班与读网记录缺失提醒")


@task()
def new_media_push_round() -> dict[str, int]:
    """Hourly: open push records of important items and alert about late ones (NM-05)."""
    from django.utils.translation import gettext as _

    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    from .newmedia_push import alert_late_pushes, open_push_records

    opened = open_push_records()
    late = alert_late_pushes()
    sent = 0
    for push in late:
        notice = notifications.Notice(
            kind="operations.new_media.push_late",
            item_key=f"operations.new_media.push_late:{push.pk}",
            subject=_("重要信息未推送到政务新媒体：%(title)s") % {"title": push.title},
            body=_("“%(title)s”应于 %(due)s 前推送到“%(account)s”，至今未登记推送。")
            % {"title": push.title, "account": str(push.account),
               "due": f"{timezone.localtime(push.due_at):%Y-%m-%d %H:%M}"})
        sent += len(notifications.notify(
            notice=notice, recipients=users_with_role("site_admin", push.account.organisation)))
    return {"opened": len(opened), "late": len(late), "notified": sent}


periodic.register("operations.new_media_push", every=dt.timedelta(hours=1),
                  task=new_media_push_round, description="网站重要信息推送到政务新媒体的时限告警")
