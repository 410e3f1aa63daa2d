"""Reads of the rule set for the admin and the commands: rules with their values in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from .models import RuleOverride, VariantChoice
from .registry import NATIONAL, Parameter, Rule, registry, variants
from .resolve import Applied, Resolved, configured_variant, dumps, snapshot


def site_model() -> Any:
    """The model of a registered site (the target of the overrides' site relation)."""
    return RuleOverride._meta.get_field("site").related_model


def sites() -> QuerySet[Any]:
    """Every registered site, in the registry's order."""
    model = site_model()
    return model.objects.select_related("host_organisation").order_by("kind", "name")


@dataclass(frozen=True)
class VariantValueRow:
    title: str
    value: str
    article: str


@dataclass(frozen=True)
class ParamRow:
    """One parameter as the admin shows it: defaults, variants, value in force, overrides."""

    param: Parameter
    national: str
    variant_values: list[VariantValueRow]
    current: Applied
    current_text: str
    overrides: list[RuleOverride] = field(default_factory=list)


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    params: list[ParamRow]

    @property
    def overridden(self) -> bool:
        return any(p.overrides for p in self.params)


def _param_row(param: Parameter, current: Resolved, overrides: list[RuleOverride]) -> ParamRow:
    variant_values = []
    for variant in variants().values():
        entry = variant.value_of(param.key)
        if entry is not None:
            variant_values.append(VariantValueRow(variant.title, dumps(entry.value), entry.article))
    applied = current.origin(param.key)
    return ParamRow(param=param, national=dumps(param.default), variant_values=variant_values,
                    current=applied, current_text=dumps(applied.value),
                    overrides=[o for o in overrides if o.key == param.key])


def rule_rows(*, area: str = "", status: str = "", query: str = "") -> list[RuleRow]:
    """Every rule (filtered) with the cluster's values in force and every override of them."""
    current = snapshot()
    overrides = list(RuleOverride.objects.select_related("site", "created_by"))
    rows = []
    for rule in registry().rules.values():
        if area and rule.area != area:
            continue
        if status and rule.status != status:
            continue
        if query and query not in rule.rule_id and query not in rule.statement \
                and not any(query in p.key or query in p.label for p in rule.params):
            continue
        rows.append(RuleRow(rule, [_param_row(p, current, overrides) for p in rule.params]))
    return rows


def rule_row(rule_id: str) -> RuleRow | None:
    """One rule with its values, or None when the id is not registered."""
    rows = [r for r in rule_rows() if r.rule.rule_id == rule_id]
    return rows[0] if rows else None


@dataclass(frozen=True)
class ChoiceRow:
    site: Any
    choice: VariantChoice | None
    title: str = ""


def cluster_choice() -> VariantChoice | None:
    return VariantChoice.objects.filter(site__isnull=True).select_related("chosen_by").first()


def variant_rows() -> list[ChoiceRow]:
    """Every site with its own variant choice (None: it follows the cluster)."""
    by_site = {c.site_id: c for c in VariantChoice.objects.filter(site__isnull=False)
               .select_related("chosen_by")}
    titles = variant_titles()
    rows = []
    for site in sites():
        choice = by_site.get(site.pk)
        rows.append(ChoiceRow(site, choice, titles.get(choice.variant, choice.variant) if choice else ""))
    return rows


def variant_titles() -> dict[str, str]:
    """Variant names with their titles, the national defaults first."""
    return {NATIONAL: "全国默认", **{name: v.title for name, v in variants().items()}}


def setting_variant() -> str:
    return configured_variant()
