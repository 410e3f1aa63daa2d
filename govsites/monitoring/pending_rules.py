"""Rules the inspector checks that the rule registry does not carry yet (`data/pending_rules.json`).

The registry (`rulebook.load_rulebook()`, owned by the rules app) wins: once it carries a rule of
the same id, its entry is used and the pending one is ignored. Until then checks look their rule
up here, so a check never invents its thresholds in code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .rulebook import Rulebook, RuleSpec

PENDING_FILE = Path(__file__).resolve().parent / "data" / "pending_rules.json"


@lru_cache(maxsize=1)
def _pending() -> dict[str, RuleSpec]:
    data = json.loads(PENDING_FILE.read_text(encoding="utf-8"))
    return {rule_id: RuleSpec(rule_id=rule_id, title=spec["title"],
                              severity=spec.get("severity", "warning"),
                              veto=bool(spec.get("veto", False)),
                              params=dict(spec.get("params", {})),
                              evidence=spec.get("evidence", "[?]"), source=spec.get("source", ""))
            for rule_id, spec in data["rules"].items()}


def rule_spec(rulebook: Rulebook, rule_id: str) -> RuleSpec:
    """Return a rule's spec from the registry, else from the pending rules (KeyError if neither)."""
    spec = rulebook.rules.get(rule_id)
    if spec is not None:
        return spec
    return _pending()[rule_id]


def all_rules(rulebook: Rulebook) -> dict[str, RuleSpec]:
    """Every rule in force: the registry's, in its order, then the pending ones it lacks."""
    merged = dict(rulebook.rules)
    for rule_id, spec in _pending().items():
        merged.setdefault(rule_id, spec)
    return merged
