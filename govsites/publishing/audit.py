"""Audit action names of the publishing app."""

from govsites.core.audit_actions import register_action

register_action("publishing.rebuild", "全量重新发布")
register_action("publishing.guard.incident", "防篡改：发现异常文件")
register_action("publishing.guard.restore", "防篡改：恢复文件")
register_action("publishing.guard.alert", "防篡改：告警（发布清单不可信等）")
register_action("publishing.term.create", "新增简繁转换保护词")
register_action("publishing.term.update", "修改简繁转换保护词")
register_action("publishing.term.delete", "删除简繁转换保护词")
register_action("publishing.accessibility.manual_check", "登记无障碍人工评测结果")
