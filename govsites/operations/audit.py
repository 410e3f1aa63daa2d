"""The audit action names operations writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

VISITS_IMPORT = "operations.visits.import"


def register() -> None:
    """Register operations' audit actions; called from OperationsConfig.ready()."""
    register_action(VISITS_IMPORT, "导入网站访问日志")
