"""Audit action names of the deployment app."""

from govsites.core.audit_actions import register_action

register_action("deployment.backup", "备份")
register_action("deployment.restore", "从备份恢复")
