"""The audit action names the disclosure app writes (registered with core's vocabulary)."""

from govsites.core.audit_actions import register_action

BODY_SAVE = "disclosure.body.save"
REQUEST_SUBMIT = "disclosure.request.submit"
REQUEST_REGISTER = "disclosure.request.register"
REQUEST_TRANSITION = "disclosure.request.transition"
REQUEST_REPLY = "disclosure.request.reply"
REQUEST_PROACTIVE = "disclosure.request.to_proactive"
REQUEST_ARCHIVE = "disclosure.request.archive"
CATALOGUE_CREATE = "disclosure.catalogue.create"
REPORT_DRAFT = "disclosure.report.draft"
REPORT_UPDATE = "disclosure.report.update"
REPORT_PUBLISH = "disclosure.report.publish"

LABELS = {
    BODY_SAVE: "保存公开主体",
    REQUEST_SUBMIT: "提交政府信息公开申请",
    REQUEST_REGISTER: "登记政府信息公开申请",
    REQUEST_TRANSITION: "办理政府信息公开申请",
    REQUEST_REPLY: "答复政府信息公开申请",
    REQUEST_PROACTIVE: "依申请公开转主动公开",
    REQUEST_ARCHIVE: "政府信息公开申请归档导出",
    CATALOGUE_CREATE: "建立政府信息公开目录页",
    REPORT_DRAFT: "生成政府信息公开工作年度报告",
    REPORT_UPDATE: "修改政府信息公开工作年度报告",
    REPORT_PUBLISH: "发布政府信息公开工作年度报告",
}


def register() -> None:
    """Register the app's audit actions; called from DisclosureConfig.ready()."""
    for name, label in LABELS.items():
        register_action(name, label)
