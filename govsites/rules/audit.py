"""The audit action names the rules app writes (registered with core's vocabulary at startup)."""

from govsites.core.audit_actions import register_action

OVERRIDE_SET = "rules.override.set"
OVERRIDE_CLEAR = "rules.override.clear"
VARIANT_CHOOSE = "rules.variant.choose"


def register() -> None:
    """Register the rules app's audit actions; called from RulesConfig.ready()."""
    register_action(OVERRIDE_SET, "调整规则参数")
    register_action(OVERRIDE_CLEAR, "撤销规则参数调整")
    register_action(VARIANT_CHOOSE, "选择规则变体")
