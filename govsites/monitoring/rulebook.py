"""The inspector's rule data: a view over the one rule set (`govsites.rules`).

`data/rulebook.json` names the inspector's checks (title, severity, veto flag, evidence label,
source by public name, checklist ids) and holds no numbers. Every number the inspector judges by
(thresholds, windows, points and caps, the ticket deadline, the column-name keywords) is a
parameter of the rule registry, under the check's id: `column.stale.veto_count` is the
`veto_count` of the check `column.stale`. So the inspector, the platform's own alerts and the
admin page read the same values.

`load_rulebook()` gives the values in force for the cluster (or a site): national defaults,
the variant an administrator chose (else `GOVSITES_RULES_VARIANT`) and the administrators'
overrides. `load_rulebook("meizhou-2021")` (the inspect command's `--variant`) uses the shipped
files only: "" or "national" for the national defaults, a variant name, or a variant file path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govsites import rules
from govsites.rules.registry import VARIANTS_DIR as _RULE_VARIANTS_DIR

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "rulebook.json"
#: Variant files live with the rule set; kept here for callers that name the folder.
VARIANTS_DIR = _RULE_VARIANTS_DIR

SEVERITIES = ("info", "warning", "serious", "veto")


class RulebookError(ValueError):
    """The rule data is malformed, names a variant that does not exist, or lacks a parameter."""


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
    checklist: tuple[str, ...] = ()

    def param(self, name: str, default: Any = None) -> Any:
        """Return one parameter of the check.

        Every parameter is declared in the rule registry, so there is no fallback: asking for an
        undeclared one is an error (the `default` argument is accepted for old callers and never
        used).
        """
        try:
            return self.params[name]
        except KeyError:
            raise RulebookError(
                f"检查规则 {self.rule_id} 没有参数“{name}”：请在规则登记表（govsites/rules/data/registry）中声明 "
                f"{self.rule_id}.{name}") from None


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
    #: built from the shipped files only (`load_rulebook(variant)`): no database is read, and the
    #: inspector screens with the screening library's national list rather than the admin's
    files_only: bool = False
    #: every parameter of the rule set in force, by its full key (for checks whose parameters
    #: are not under a check id: `interpretation.max_delay_working_days`)
    values: dict[str, Any] = field(repr=False, default_factory=dict)

    def value(self, key: str) -> Any:
        """Return one parameter of the rule set in force; an undeclared key is an error."""
        try:
            return self.values[key]
        except KeyError:
            raise RulebookError(f"规则登记表没有参数“{key}”") from None

    def rule(self, rule_id: str) -> RuleSpec:
        """Return the spec of a rule id, or raise RulebookError for an unknown id."""
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RulebookError(f"rule {rule_id!r} is not in the rule data") from None


@lru_cache(maxsize=1)
def _skeleton() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))
    return data


def _build(resolved: rules.Resolved, *, files_only: bool = False) -> Rulebook:
    skeleton = _skeleton()
    specs: dict[str, RuleSpec] = {}
    raw_rules: dict[str, Any] = {}
    for rule_id, spec in skeleton["rules"].items():
        severity = spec.get("severity", "warning")
        if severity not in SEVERITIES:
            raise RulebookError(f"rule {rule_id}: unknown severity {severity!r}")
        params = resolved.under(rule_id)
        specs[rule_id] = RuleSpec(
            rule_id=rule_id, title=spec["title"], severity=severity,
            veto=bool(spec.get("veto", False)), params=params,
            evidence=spec.get("evidence", "[?]"), source=spec.get("source", ""),
            checklist=tuple(spec.get("checklist", [])),
        )
        raw_rules[rule_id] = {**spec, "params": params}
    indicators = []
    for ind in resolved.value("score.deductions.indicators"):
        unknown = set(ind.get("per_finding", {})) - set(specs)
        if unknown:
            raise RulebookError(f"indicator {ind['id']}: unknown rules {sorted(unknown)}")
        indicators.append(Indicator(ind["id"], ind["title"], float(ind["points"]),
                                    {k: float(v) for k, v in ind["per_finding"].items()}))
    deductions = {**skeleton.get("deductions", {}),
                  "provisional": resolved.value("score.deductions.provisional"),
                  "indicators": resolved.value("score.deductions.indicators")}
    score = {**skeleton.get("score", {}), "total": resolved.value("score.total"),
             "fail_below": resolved.value("score.fail_below"),
             "bonus_above": resolved.value("score.bonus_above")}
    tickets = {**skeleton.get("tickets", {}),
               "deadline_working_days": resolved.value("tickets.deadline_working_days"),
               "open_for_severities": resolved.value("tickets.open_for_severities")}
    keywords = resolved.value("column_names.keywords")
    raw = {**skeleton, "name": resolved.label, "rules": raw_rules, "score": score,
           "deductions": deductions, "tickets": tickets,
           "column_names": {**skeleton.get("column_names", {}), "keywords": keywords}}
    return Rulebook(
        name=resolved.label, title=skeleton.get("title", ""), rules=specs,
        score_total=float(score["total"]), fail_below=float(score["fail_below"]),
        bonus_above=float(score["bonus_above"]), indicators=indicators,
        deductions_provisional=bool(deductions["provisional"]),
        deductions_source=deductions.get("source", ""),
        ticket_deadline_working_days=int(tickets["deadline_working_days"]),
        ticket_severities=tuple(tickets["open_for_severities"]),
        column_keywords=[(k, v) for k, v in keywords],
        raw=raw, files_only=files_only,
        values={key: applied.value for key, applied in resolved.applied.items()},
    )


@lru_cache(maxsize=16)
def _from_files(variant: str) -> Rulebook:
    try:
        return _build(rules.from_files(variant or rules.NATIONAL), files_only=True)
    except rules.RulesError as exc:
        raise RulebookError(str(exc)) from exc


def load_rulebook(variant: str | None = None, *, site: Any = None) -> Rulebook:
    """Return the inspector's rule data.

    Without a variant: the values in force for the cluster, or for `site` when given (variant
    chosen by the administrators, overrides included; reads the database). With a variant ("",
    "national", a variant name or a variant file path): the shipped files only.
    """
    if variant is not None:
        return _from_files(variant)
    try:
        return _build(rules.snapshot(site=site))
    except rules.RulesError as exc:
        raise RulebookError(str(exc)) from exc
