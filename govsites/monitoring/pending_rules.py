"""Checks the inspector runs that its rule data does not name yet (`data/pending_rules.json`).

`rulebook.json` (owned by the rules app) names the inspector's checks; the pending file names
the checks added since, with their title, severity and source. Their numbers are parameters of
the rule registry (`page.load.max_seconds`), read here at their national defaults: a variant or
an override applies once `rulebook.json` names the check, whose entry then wins and the pending
one is ignored. Parameters the registry does not declare yet come from the pending file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from govsites import rules

from .rulebook import Rulebook, RuleSpec

PENDING_FILE = Path(__file__).resolve().parent / "data" / "pending_rules.json"


@lru_cache(maxsize=1)
def _pending() -> dict[str, RuleSpec]:
    data = json.loads(PENDING_FILE.read_text(encoding="utf-8"))
    national = rules.from_files(rules.NATIONAL)
    specs = {}
    for rule_id, spec in data["rules"].items():
        params: dict[str, Any] = {**spec.get("params", {}), **national.under(rule_id)}
        specs[rule_id] = RuleSpec(rule_id=rule_id, title=spec["title"],
                                  severity=spec.get("severity", "warning"),
                                  veto=bool(spec.get("veto", False)), params=params,
                                  evidence=spec.get("evidence", "[?]"),
                                  source=spec.get("source", ""),
                                  checklist=tuple(spec.get("checklist", [])))
    return specs


def rule_spec(rulebook: Rulebook, rule_id: str) -> RuleSpec:
    """Return a check's spec from the rule data, else from the pending checks (KeyError if neither)."""
    spec = rulebook.rules.get(rule_id)
    if spec is not None:
        return spec
    return _pending()[rule_id]


def all_rules(rulebook: Rulebook) -> dict[str, RuleSpec]:
    """Every check in force: the rule data's, in its order, then the pending ones it lacks."""
    merged = dict(rulebook.rules)
    for rule_id, spec in _pending().items():
        merged.setdefault(rule_id, spec)
    return merged
