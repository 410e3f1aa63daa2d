"""The audit action names screening writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

INSTALL_DEFAULTS = "screening.defaults.install"


def register() -> None:
    """Register screening's audit actions; called from ScreeningConfig.ready()."""
    register_action(INSTALL_DEFAULTS, "载入内容检查国家默认词库")
