"""Background work of monitoring: inspections started from the admin, and the uptime prober.

`run_inspection` runs one 立即检查 queued by `services.request_inspection`.
The prober runs from `govsites worker` on a schedule, every hour by default (24 probes a day; the national rule asks for more than 20), changed with
`GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS` (read by the scheduler, not at import).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.tasks import task
from django.utils.translation import gettext as _

from govsites.core import periodic
from govsites.core.calendar import CalendarDataMissing

logger = logging.getLogger(__name__)


@task()
def uptime_probe() -> dict[str, Any]:
    """Probe every online site once and record the outcomes (and any alert)."""
    from django.utils import timezone

    from . import services
    from .models import UptimeAlert

    started = timezone.now()
    outcomes = services.probe_all_sites()
    alerts = UptimeAlert.objects.filter(at__gte=started).select_related("site")
    return {"probed": len(outcomes), "failed": sum(1 for o in outcomes if o == "failed"),
            "skipped": sum(1 for o in outcomes if o == "skipped"),
            "notices": sum(_notify_alert(alert) for alert in alerts)}


def _tell(organisation: Any, roles: tuple[str, ...], **notice: str) -> int:
    """Notify the holders of `roles` in an organisation (govsites.core.notifications)."""
    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    people = [user for role in roles for user in users_with_role(role, organisation)]
    return len(notifications.notify(notice=notifications.Notice(**notice), recipients=people))


def _notify_alert(alert: Any) -> int:
    """可用性告警 opened: tell the site's 站点管理员 and 值班员 (once a day per alert)."""
    from govsites.core.notifications import UPTIME_ALERT

    site = alert.site
    return _tell(site.host_organisation, ("site_admin", "duty_officer"),
                 kind=UPTIME_ALERT, item_key=f"uptime-alert:{alert.pk}",
                 subject=_("可用性告警：%(site)s") % {"site": site.name},
                 body=_("“%(site)s”近期探测失败比例%(share).1f%%，达到告警线%(level).0f%%%(veto)s，"
                        "请尽快处理。") % {"site": site.name, "share": alert.share * 100,
                                       "level": alert.level * 100,
                                       "veto": _("（单项否决线）") if alert.veto else ""})


@task()
def remind_overdue_tickets() -> int:
    """整改单 past their deadline: tell the responsible body's 站点管理员 and 审核负责人 daily."""
    from govsites.core.notifications import TICKET_OVERDUE

    from .selectors import overdue_tickets

    return sum(_tell(ticket.organisation, ("site_admin", "reviewer"),
                     kind=TICKET_OVERDUE, item_key=f"ticket:{ticket.pk}",
                     subject=_("整改逾期：整改单 #%(id)s") % {"id": ticket.pk},
                     body=_("%(site)s的整改单 #%(id)s（规则 %(rule)s）整改期限为%(due)s，已逾期，"
                            "请尽快整改并申请复查。") % {
                         "site": ticket.site.name if ticket.site else ticket.organisation.name,
                         "id": ticket.pk, "rule": ticket.rule_id,
                         "due": ticket.deadline.isoformat()})
               for ticket in overdue_tickets())


@task()
def run_inspection(*, inspection_id: int) -> dict[str, Any]:
    """Run a queued inspection, then open 整改单 for its serious and veto findings."""
    from . import services
    from .choices import InspectionStatus
    from .rulebook import load_rulebook

    inspection = services.run_requested_inspection(inspection_id=inspection_id)
    outcome: dict[str, Any] = {"inspection": inspection.pk, "status": inspection.status,
                               "verdict": inspection.verdict, "tickets": 0}
    if inspection.status == InspectionStatus.DONE and inspection.site is not None:
        try:
            opened = services.open_tickets(findings=services.stored_findings(inspection),
                                           organisation=inspection.site.host_organisation,
                                           site=inspection.site, inspection=inspection,
                                           acting_user=inspection.requested_by,
                                           rulebook=load_rulebook(site=inspection.site))
        except CalendarDataMissing as exc:  # the report stands; tickets wait for the calendar
            logger.warning("inspection %s: no tickets opened: %s", inspection.pk, exc)
            outcome["tickets_error"] = str(exc)
        else:
            outcome["tickets"] = len(opened)
    return outcome


@task()
def fail_stalled_inspections() -> dict[str, Any]:
    """Mark failed the inspections whose worker died while they ran (they never finish)."""
    from . import services

    return {"failed": services.fail_stalled_inspections()}


@task()
def platform_rules() -> dict[str, Any]:
    """Run the checks judged from the platform's records on every site; open 整改单."""
    from . import services

    try:
        return {"tickets": services.raise_all_platform_alerts()}
    except CalendarDataMissing as exc:  # deadlines need the year's holidays
        logger.warning("platform rules: no tickets opened: %s", exc)
        return {"tickets": 0, "error": str(exc)}


periodic.register(
    "monitoring.platform_rules", every=dt.timedelta(days=1), task=platform_rules,
    description="按平台记录检查：解读时效、单位动态条数、栏目维护等，发现问题开具整改单",
)

@task()
def sensitive_flags() -> dict[str, Any]:
    """Close the sensitive-content notices whose page is gone; raise the overdue ones."""
    from . import services

    try:
        return services.follow_sensitive_flags()
    except CalendarDataMissing as exc:
        logger.warning("sensitive flags: %s", exc)
        return {"error": str(exc)}


periodic.register(
    "monitoring.sensitive_flags", every=dt.timedelta(hours=1), task=sensitive_flags,
    description="主管单位通知删除的敏感信息：页面删除即销号，超期未删除开具整改单",
)

@task()
def scheduled_inspections() -> dict[str, Any]:
    """Queue the full inspections the cadence makes due; issue the period's 通报; remind sites
    whose own 自查 is overdue (IS-14)."""
    from . import services
    from .rule_alerts import remind_overdue_self_checks

    queued = services.request_scheduled_inspections()
    bulletin = services.issue_bulletin()
    overdue = remind_overdue_self_checks()
    return {"queued": len(queued), "bulletin": bulletin.name if bulletin else "",
            "self_check_overdue": len(overdue)}


periodic.register(
    "monitoring.scheduled_inspections", every=dt.timedelta(days=1), task=scheduled_inspections,
    description="按规则变体的周期（季度、每月或每日巡检）发起全面检查，按周期发布通报，提醒逾期自查",
)

periodic.register(
    "monitoring.fail_stalled_inspections", every=dt.timedelta(minutes=5),
    task=fail_stalled_inspections,
    description="检查中断的站点检查标为未完成（超过 GOVSITES_INSPECTION_STALL_SECONDS 没有进度）",
)

periodic.register(
    "monitoring.uptime_probe", every=dt.timedelta(hours=1), task=uptime_probe,
    description="站点可用性探测（每天不少于20次，超时15秒）",
    interval_setting="GOVSITES_MONITORING_PROBE_INTERVAL_SECONDS",
)
periodic.register("monitoring.remind_overdue_tickets", every=dt.timedelta(hours=1),
                  task=remind_overdue_tickets, description="整改单逾期提醒（每人每单每天一次）")


@task()
def repost_watch() -> dict[str, Any]:
    """Read the upstream feeds, then raise a 整改单 for each important upstream item a site has
    not reposted within the rule data's hours (CC-30)."""
    from . import services

    fetched = services.fetch_upstream_feeds()
    try:
        raised = services.raise_overdue_reposts()
    except CalendarDataMissing as exc:  # ticket deadlines need the year's holidays
        logger.warning("repost watch: no tickets opened: %s", exc)
        return {**fetched, "tickets": 0, "error": str(exc)}
    return {**fetched, "tickets": raised}


periodic.register(
    "monitoring.repost_watch", every=dt.timedelta(hours=1), task=repost_watch,
    description="转载监测：读取上级门户网站信息源，重要政策信息超时未转载的开具整改单",
)
