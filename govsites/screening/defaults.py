"""Install the national default data files into the dictionary tables.

Takes the model classes as arguments so that migrations can pass their historical models.
Idempotent: entries that already exist (by text, phrase or domain) are left as the operator
edited them; only missing ones are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .rules import (
    national_context_entries,
    national_domain_entries,
    national_rules,
    national_term_entries,
)


@dataclass(frozen=True)
class InstallReport:
    """How many national default rows were added to each table."""

    terms: int = 0
    contexts: int = 0
    domains: int = 0
    rules: int = 0


def install_national_defaults(*, term_model: Any, context_model: Any, domain_model: Any,
                              rule_model: Any) -> InstallReport:
    """Add every national default that is not in the tables yet; return how many were added."""
    terms = 0
    for entry in national_term_entries():
        _, created = term_model.objects.get_or_create(
            text=entry["text"],
            defaults={
                "category": entry["category"].value,
                "severity": entry.get("severity", ""),
                "suggestion": entry.get("suggestion", ""),
                "note": entry.get("note", ""),
                "is_national_default": True,
            },
        )
        terms += created
    contexts = 0
    for entry in national_context_entries():
        _, created = context_model.objects.get_or_create(
            phrase=entry["phrase"], category=entry.get("category") or "",
            defaults={"note": entry.get("note", ""), "is_national_default": True},
        )
        contexts += created
    domains = 0
    for entry in national_domain_entries():
        _, created = domain_model.objects.get_or_create(
            domain=entry["domain"],
            defaults={"include_subdomains": bool(entry["include_subdomains"]),
                      "note": entry.get("note", ""), "is_national_default": True},
        )
        domains += created
    rules = 0
    for rule in national_rules().values():
        _, created = rule_model.objects.get_or_create(
            rule_id=rule.rule_id,
            defaults={"category": rule.category.value, "severity": rule.severity.value,
                      "label": rule.label},
        )
        rules += created
    return InstallReport(terms=terms, contexts=contexts, domains=domains, rules=rules)
