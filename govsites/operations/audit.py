"""The audit action names operations writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

VISITS_IMPORT = "operations.visits.import"


def register() -> None:
    """Register operations' audit actions; called from OperationsConfig.ready()."""
    register_action(VISITS_IMPORT, "导入网站访问日志")
    register_reports()
    register_lifecycle()
    register_new_media()
    register_duty()
    register_opinion()


REPORT_COMPILE = "operations.report.compile"
REPORT_REVISE = "operations.report.revise"
REPORT_REVIEW = "operations.report.review"
REPORT_PUBLISH = "operations.report.publish"


def register_reports() -> None:
    """Register the annual reports' audit actions."""
    register_action(REPORT_COMPILE, "生成年度报表")
    register_action(REPORT_REVISE, "修改年度报表数据")
    register_action(REPORT_REVIEW, "审核年度报表")
    register_action(REPORT_PUBLISH, "发布年度报表")


SITE_CHANGE_REQUEST = "operations.site_change.request"
SITE_CHANGE_DECIDE = "operations.site_change.decide"


def register_lifecycle() -> None:
    """Register the site lifecycle's audit actions."""
    register_action(SITE_CHANGE_REQUEST, "申请网站开设、下线、关停或迁移")
    register_action(SITE_CHANGE_DECIDE, "审批网站变更申请")


NEW_MEDIA_REGISTER = "operations.new_media.register"
NEW_MEDIA_COUNT = "operations.new_media.count"
NEW_MEDIA_ALERT = "operations.new_media.alert"
NEW_MEDIA_FILING_START = "operations.new_media.filing.start"
NEW_MEDIA_FILING_STEP = "operations.new_media.filing.step"
NEW_MEDIA_DECLARE = "operations.new_media.declare"
NEW_MEDIA_PUSH = "operations.new_media.push"
NEW_MEDIA_PUSH_LATE = "operations.new_media.push_late"
NEW_MEDIA_ASSESS = "operations.new_media.assess"


def register_new_media() -> None:
    """Register the 政务新媒体 registry's audit actions."""
    register_action(NEW_MEDIA_REGISTER, "登记政务新媒体账号")
    register_action(NEW_MEDIA_COUNT, "填报政务新媒体月度发布量")
    register_action(NEW_MEDIA_ALERT, "政务新媒体告警")
    register_action(NEW_MEDIA_FILING_START, "发起政务新媒体开设、变更或关停备案")
    register_action(NEW_MEDIA_FILING_STEP, "办理政务新媒体备案环节")
    register_action(NEW_MEDIA_DECLARE, "承诺不购买粉丝、不强制下载点赞转发")
    register_action(NEW_MEDIA_PUSH, "登记重要信息推送到政务新媒体")
    register_action(NEW_MEDIA_PUSH_LATE, "重要信息未按时推送告警")
    register_action(NEW_MEDIA_ASSESS, "政务新媒体检查结论")


DUTY_RECORD = "operations.duty.record"
INCIDENT_RECORD = "operations.incident.record"
INCIDENT_CLOSE = "operations.incident.close"
DRILL_RECORD = "operations.drill.record"


def register_duty() -> None:
    """Register the duty, incident and drill records' audit actions."""
    register_action(DUTY_RECORD, "登记值班和读网记录")
    register_action(INCIDENT_RECORD, "登记安全事件")
    register_action(INCIDENT_CLOSE, "安全事件处置完毕")
    register_action(DRILL_RECORD, "登记应急演练")


OPINION_RECORD = "operations.opinion.record"
OPINION_CONFERENCE = "operations.opinion.press_conference"
OPINION_RESPOND = "operations.opinion.respond"
OPINION_OVERDUE = "operations.opinion.overdue"


def register_opinion() -> None:
    """Register the 政务舆情 register's audit actions."""
    register_action(OPINION_RECORD, "登记政务舆情")
    register_action(OPINION_CONFERENCE, "登记政务舆情新闻发布会")
    register_action(OPINION_RESPOND, "登记政务舆情回应")
    register_action(OPINION_OVERDUE, "政务舆情回应超时告警")
