"""System checks: the shipped rule data loads, and the configured variant exists."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def rule_data_is_usable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report malformed rule data or a GOVSITES_RULES_VARIANT that names no shipped variant."""
    from .registry import RegistryError, registry, variants
    from .resolve import RulesError, configured_variant, variant_by_name

    try:
        registry()
        variants()
    except RegistryError as exc:
        return [checks.Error(f"规则数据有误：{exc}", id="rules.E001")]
    try:
        variant_by_name(configured_variant())
    except RulesError as exc:
        return [checks.Error(f"设置 GOVSITES_RULES_VARIANT 有误：{exc}", id="rules.E002")]
    return []
