"""The words reports, the admin and the terminal use for rule ids, severities and verdict bases.

Rule ids (`link.broken`) and severity codes (`warning`) are identifiers: nothing a user reads
shows them without their Chinese name.
"""

from __future__ import annotations

from .choices import Severity
from .rulebook import Rulebook, load_rulebook

SEVERITY_LABELS: dict[str, str] = {str(value): str(label) for value, label in Severity.choices}
SCORE_BASIS = "score"


def naming_rulebook() -> Rulebook:
    """The rule data to name things by: the shipped national files (names do not vary by
    variant or override, and reading them needs no database)."""
    return load_rulebook("")


def severity_label(severity: str) -> str:
    """Return the Chinese name of a severity code (the code itself when unknown)."""
    return SEVERITY_LABELS.get(severity, severity)


def rule_title(rule_id: str, rulebook: Rulebook) -> str:
    """Return a rule's title from the rule data (the id when the rule data does not know it)."""
    spec = rulebook.rules.get(rule_id)
    return spec.title if spec is not None else rule_id


def decided_by_label(decided_by: str, rulebook: Rulebook) -> str:
    """Say in words what decided a verdict: a veto rule, or the score (with its worst indicator)."""
    if decided_by == SCORE_BASIS:
        return "扣分评分"
    if decided_by.startswith(SCORE_BASIS + ":"):
        indicator_id = decided_by.split(":", 1)[1]
        titles = {i.indicator_id: i.title for i in rulebook.indicators}
        return f"扣分评分：{titles.get(indicator_id, indicator_id)}"
    if decided_by in rulebook.rules:
        return f"单项否决：{rule_title(decided_by, rulebook)}"
    return decided_by
