"""The inspector's rule data: national defaults from `data/rulebook.json`, province variants on top.

Every number the inspector judges by (thresholds, windows, severities, veto flags, points and
caps) is data. The national file carries each rule's evidence label and source; a variant file
(`data/variants/<name>.json`, or any path) holds only what a province changes and is merged over
the national defaults key by key. The variant in force comes from the `--variant` option of a
command or `settings.GOVSITES_MONITORING_RULEBOOK_VARIANT`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "rulebook.json"
VARIANTS_DIR = DATA_DIR / "variants"

SEVERITIES = ("info", "warning", "serious", "veto")


class RulebookError(ValueError):
    """The rule data is malformed or names a variant that does not exist."""


@dataclass(frozen=True)
class RuleSpec:
    """One check as the rule data describes it."""

    rule_id: str
    title: str
    severity: str
    veto: bool
    params: dict[str, Any]
    evidence: str
    source: str

    def param(self, name: str, default: Any = None) -> Any:
        """Return one parameter of the rule, or `default`."""
        return self.params.get(name, default)


@dataclass(frozen=True)
class Indicator:
    """A deduction indicator: points per finding of its rules, capped at its own points."""

    indicator_id: str
    title: str
    points: float
    per_finding: dict[str, float]


@dataclass(frozen=True)
class Rulebook:
    """The merged rule data in force for one inspection."""

    name: str
    title: str
    rules: dict[str, RuleSpec]
    score_total: float
    fail_below: float
    bonus_above: float
    indicators: list[Indicator]
    deductions_provisional: bool
    deductions_source: str
    ticket_deadline_working_days: int
    ticket_severities: tuple[str, ...]
    column_keywords: list[tuple[str, str]]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def rule(self, rule_id: str) -> RuleSpec:
        """Return the spec of a rule id, or raise RulebookError for an unknown id."""
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RulebookError(f"rule {rule_id!r} is not in the rule data") from None


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge `override` into a copy of `base`: dicts merge by key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _variant_path(variant: str) -> Path:
    path = Path(variant)
    if path.suffix == ".json" and path.exists():
        return path
    candidate = VARIANTS_DIR / f"{variant}.json"
    if candidate.exists():
        return candidate
    raise RulebookError(f"规则变体“{variant}”不存在：请在 {VARIANTS_DIR} 下提供 {variant}.json")


def _parse(data: dict[str, Any]) -> Rulebook:
    rules: dict[str, RuleSpec] = {}
    for rule_id, spec in data["rules"].items():
        severity = spec.get("severity", "warning")
        if severity not in SEVERITIES:
            raise RulebookError(f"rule {rule_id}: unknown severity {severity!r}")
        rules[rule_id] = RuleSpec(
            rule_id=rule_id, title=spec["title"], severity=severity,
            veto=bool(spec.get("veto", False)), params=dict(spec.get("params", {})),
            evidence=spec.get("evidence", "[?]"), source=spec.get("source", ""),
        )
    deductions = data.get("deductions", {})
    indicators = []
    for ind in deductions.get("indicators", []):
        unknown = set(ind.get("per_finding", {})) - set(rules)
        if unknown:
            raise RulebookError(f"indicator {ind['id']}: unknown rules {sorted(unknown)}")
        indicators.append(Indicator(ind["id"], ind["title"], float(ind["points"]),
                                    {k: float(v) for k, v in ind["per_finding"].items()}))
    score = data.get("score", {})
    tickets = data.get("tickets", {})
    return Rulebook(
        name=data.get("name", ""), title=data.get("title", ""), rules=rules,
        score_total=float(score.get("total", 100)), fail_below=float(score.get("fail_below", 60)),
        bonus_above=float(score.get("bonus_above", 80)), indicators=indicators,
        deductions_provisional=bool(deductions.get("provisional", True)),
        deductions_source=deductions.get("source", ""),
        ticket_deadline_working_days=int(tickets.get("deadline_working_days", 3)),
        ticket_severities=tuple(tickets.get("open_for_severities", ["veto", "serious"])),
        column_keywords=[(k, v) for k, v in data.get("column_names", {}).get("keywords", [])],
        raw=data,
    )


@lru_cache(maxsize=16)
def _load(variant: str) -> Rulebook:
    data = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))
    if variant:
        override = json.loads(_variant_path(variant).read_text(encoding="utf-8"))
        data = deep_merge(data, override)
    return _parse(data)


def load_rulebook(variant: str | None = None) -> Rulebook:
    """Return the national rule data merged with a province variant (the configured one by default)."""
    if variant is None:
        variant = getattr(settings, "GOVSITES_MONITORING_RULEBOOK_VARIANT", "") or ""
    return _load(variant)
