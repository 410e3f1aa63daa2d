"""The review chain's audit action names (registered when the app is ready)."""

from govsites.core.audit_actions import register_action

ACTIONS = {
    "workflow.workflow.assign": "为网站配置审核流程",
    "workflow.policy.update": "修改网站审核策略",
    "workflow.item.submit": "提交审核",
    "workflow.item.resubmit": "修改后重新提交审核",
    "workflow.item.cancel": "撤回审核",
    "workflow.item.approve": "审核完成并发布",
    "workflow.task.start": "进入审核步骤",
    "workflow.task.skip": "跳过审核步骤",
    "workflow.task.approve": "审核通过",
    "workflow.task.reject": "退回修改",
    "workflow.countersign.approve": "会签同意（尚有单位未会签）",
    "workflow.task.reassign": "转交待审任务",
    "workflow.screening.run": "内容检查",
    "workflow.screening.override": "忽略检查发现的问题",
    "workflow.item.force_publish": "强制发布",
    "workflow.force_publication.approve": "事后审批强制发布",
}

for _name, _label in ACTIONS.items():
    register_action(_name, _label)
