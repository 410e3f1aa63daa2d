"""The audit action names interaction writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

MAILBOX_SAVE = "interaction.mailbox.save"
ENQUIRY_SUBMIT = "interaction.enquiry.submit"
ENQUIRY_RELEASE = "interaction.enquiry.release"
ENQUIRY_ACCEPT = "interaction.enquiry.accept"
ENQUIRY_REJECT = "interaction.enquiry.reject"
ENQUIRY_TRANSFER = "interaction.enquiry.transfer"
ENQUIRY_REOPEN = "interaction.enquiry.reopen"
ENQUIRY_RATE = "interaction.enquiry.rate"
ENQUIRY_HOTLINE_FORWARD = "interaction.enquiry.hotline_forward"
ENQUIRY_HOTLINE_FAILED = "interaction.enquiry.hotline_failed"
ENQUIRY_HOTLINE_RESULT = "interaction.enquiry.hotline_result"
REPLY_DRAFT = "interaction.reply.draft"
REPLY_APPROVE = "interaction.reply.approve"
REPLY_RETURN = "interaction.reply.return"
ERROR_REPORT_SUBMIT = "interaction.error_report.submit"
ERROR_REPORT_FORWARD = "interaction.error_report.forward"
ERROR_REPORT_REPLY = "interaction.error_report.reply"
ERROR_REPORT_IMPORT = "interaction.error_report.import"
CONSULTATION_SAVE = "interaction.consultation.save"
COMMENT_SUBMIT = "interaction.comment.submit"
COMMENT_MODERATE = "interaction.comment.moderate"
ADOPTION_PUBLISH = "interaction.consultation.adoption"
FAQ_CURATE = "interaction.faq.curate"
SURVEY_RESPOND = "interaction.survey.respond"
SURVEY_EXPORT = "interaction.survey.export"
INTERVIEW_ASK = "interaction.interview.ask"
INTERVIEW_MODERATE = "interaction.interview.moderate"
INTERVIEW_ANSWER = "interaction.interview.answer"
INTERVIEW_ARCHIVE = "interaction.interview.archive"

LABELS = {
    MAILBOX_SAVE: "保存信箱设置",
    ENQUIRY_SUBMIT: "网民提交留言",
    ENQUIRY_RELEASE: "留言通过人工审查",
    ENQUIRY_ACCEPT: "受理留言",
    ENQUIRY_REJECT: "留言不予受理（无效留言）",
    ENQUIRY_TRANSFER: "转办留言",
    ENQUIRY_REOPEN: "重新办理留言",
    ENQUIRY_RATE: "网民评价答复",
    ENQUIRY_HOTLINE_FORWARD: "留言推送12345热线",
    ENQUIRY_HOTLINE_FAILED: "留言推送12345热线失败（将重试）",
    ENQUIRY_HOTLINE_RESULT: "收到12345热线办理结果",
    REPLY_DRAFT: "拟写答复",
    REPLY_APPROVE: "审核通过并公开答复",
    REPLY_RETURN: "退回答复",
    ERROR_REPORT_SUBMIT: "网民提交找错",
    ERROR_REPORT_FORWARD: "转交找错留言",
    ERROR_REPORT_REPLY: "答复找错留言",
    ERROR_REPORT_IMPORT: "导入国家平台找错留言",
    CONSULTATION_SAVE: "保存意见征集",
    COMMENT_SUBMIT: "网民提交征集意见",
    COMMENT_MODERATE: "审核征集意见",
    ADOPTION_PUBLISH: "公布意见采纳情况",
    FAQ_CURATE: "将留言答复整理为常见问题",
    SURVEY_RESPOND: "网民提交调查答卷",
    SURVEY_EXPORT: "导出调查答卷",
    INTERVIEW_ASK: "网民向在线访谈提问",
    INTERVIEW_MODERATE: "审核访谈提问",
    INTERVIEW_ANSWER: "发布访谈嘉宾回答",
    INTERVIEW_ARCHIVE: "归档在线访谈文字实录",
}


def register() -> None:
    """Register interaction's audit actions; called from InteractionConfig.ready()."""
    for name, label in LABELS.items():
        register_action(name, label)
