"""Writes of the rule set: overrides with a reason, and the variant a cluster or site uses.

Each service validates (a bad value changes nothing and says why in Chinese), refuses users
who are not platform administrators, runs in one transaction and writes one audit record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit as core_audit

from . import audit, policies
from .models import RuleOverride, VariantChoice
from .registry import NATIONAL, registry, variants

MAX_REASON = 2000


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": "请填写理由：每一项规则调整都须说明依据。"})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": f"理由不能超过 {MAX_REASON} 字。"})
    return text


def _organisation(site: Any) -> Any:
    return getattr(site, "host_organisation", None) if site is not None else None


def _scope(site: Any) -> dict[str, Any]:
    return {"site": site.pk if site is not None else None,
            "site_name": str(site) if site is not None else "全站群"}


def set_override(*, key: str, value: Any, reason: str, acting_user: Any,
                 site: Any = None) -> RuleOverride:
    """Set an administrator's value for one parameter, for the cluster or one site."""
    policies.require_rule_editor(acting_user)
    param = registry().params.get(key)
    if param is None:
        raise ValidationError({"key": f"参数“{key}”不存在。"})
    if site is not None and param.cluster_only:
        raise ValidationError({"site": f"“{param.label}”只能为全站群设置，不能按网站调整。"})
    problem = param.check(value)
    if problem:
        raise ValidationError({"value": f"{param.label}：{problem}。"})
    text = _reason(reason)
    with transaction.atomic():
        row = RuleOverride.objects.select_for_update().filter(key=key, site=site).first()
        before = row.value if row is not None else None
        existed = row is not None
        if row is None:
            row = RuleOverride(key=key, site=site)
        row.value = value
        row.reason = text
        row.created_by = acting_user
        row.created_at = timezone.now()
        row.full_clean()
        row.save()
        core_audit.record(action=audit.OVERRIDE_SET, actor=acting_user, obj=row,
                          organisation=_organisation(site),
                          details={"key": key, "rule": param.rule_id, **_scope(site),
                                   "before": before, "replaced": existed, "after": value,
                                   "reason": text})
    return row


def clear_override(*, key: str, reason: str, acting_user: Any, site: Any = None) -> None:
    """Remove an override so the variant's (or national) value applies again."""
    policies.require_rule_editor(acting_user)
    text = _reason(reason)
    with transaction.atomic():
        row = RuleOverride.objects.select_for_update().filter(key=key, site=site).first()
        if row is None:
            raise ValidationError({"key": f"参数“{key}”在该范围内没有调整，无需撤销。"})
        core_audit.record(action=audit.OVERRIDE_CLEAR, actor=acting_user, obj=row,
                          organisation=_organisation(site),
                          details={"key": key, **_scope(site), "before": row.value,
                                   "reason": text})
        row.delete()


def choose_variant(*, variant: str | None, reason: str, acting_user: Any,
                   site: Any = None) -> VariantChoice | None:
    """Choose the variant of the cluster, or of one site (None: the site follows the cluster)."""
    policies.require_rule_editor(acting_user)
    if variant is not None and variant != NATIONAL and variant not in variants():
        raise ValidationError({"variant": f"规则变体“{variant}”不存在。"})
    if variant is None and site is None:
        raise ValidationError({"variant": "请为全站群选择一个规则变体（或全国默认）。"})
    text = _reason(reason)
    with transaction.atomic():
        row = VariantChoice.objects.select_for_update().filter(site=site).first()
        before = row.variant if row is not None else None
        if variant is None:
            if row is None:
                raise ValidationError({"variant": "该网站已沿用全站群的规则变体。"})
            core_audit.record(action=audit.VARIANT_CHOOSE, actor=acting_user, obj=row,
                              organisation=_organisation(site),
                              details={**_scope(site), "before": before, "after": None,
                                       "reason": text})
            row.delete()
            return None
        if row is None:
            row = VariantChoice(site=site)
        row.variant = variant
        row.reason = text
        row.chosen_by = acting_user
        row.chosen_at = timezone.now()
        row.full_clean()
        row.save()
        core_audit.record(action=audit.VARIANT_CHOOSE, actor=acting_user, obj=row,
                          organisation=_organisation(site),
                          details={**_scope(site), "before": before, "after": variant,
                                   "reason": text})
    return row
