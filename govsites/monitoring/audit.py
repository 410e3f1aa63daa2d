"""The audit action names monitoring writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

INSPECTION_RECORD = "monitoring.inspection.record"
INSPECTION_REQUEST = "monitoring.inspection.request"
INSPECTION_FAIL = "monitoring.inspection.fail"
TICKET_OPEN = "monitoring.ticket.open"
TICKET_RECHECK = "monitoring.ticket.recheck"
TICKET_CLOSE = "monitoring.ticket.close"
UPTIME_ALERT = "monitoring.uptime.alert"
UPTIME_ALERT_ACKNOWLEDGE = "monitoring.uptime.acknowledge"
BULLETIN_ISSUE = "monitoring.bulletin.issue"
UPSTREAM_FETCH = "monitoring.upstream.fetch"


def register() -> None:
    """Register monitoring's audit actions; called from MonitoringConfig.ready()."""
    register_action(INSPECTION_RECORD, "记录站点检查结果")
    register_action(INSPECTION_REQUEST, "发起站点检查（立即检查）")
    register_action(INSPECTION_FAIL, "站点检查未完成")
    register_action(TICKET_OPEN, "开具问题整改单")
    register_action(TICKET_RECHECK, "复查整改单（未通过）")
    register_action(TICKET_CLOSE, "复查通过，整改单销号")
    register_action(UPTIME_ALERT, "站点可用性告警")
    register_action(UPTIME_ALERT_ACKNOWLEDGE, "确认站点可用性告警")
    register_action(BULLETIN_ISSUE, "发布站点检查通报")
    register_action(UPSTREAM_FETCH, "读取上级门户网站信息源")
