"""Plain-data rules for a Screener, and the national defaults shipped in `data/`.

Nothing here touches the database: the site inspector and the benchmark build a Screener from
these types directly, and `selectors.default_screener()` builds the same types from the admin's
tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .types import Category, Severity

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Categories whose findings come from the term dictionary, in display order.
TERM_CATEGORIES: tuple[Category, ...] = (
    Category.POLITICAL,
    Category.PORNOGRAPHY,
    Category.GAMBLING,
    Category.VIOLENCE,
    Category.ADVERTISING,
    Category.EXPRESSION_ERROR,
)

RESIDENT_ID = "privacy.resident_id"
MOBILE = "privacy.mobile"
BANK_CARD = "privacy.bank_card"
COMMERCIAL_LINK = "link.commercial"
ATTACHMENT_UNREADABLE = "attachment.unreadable"
ATTACHMENT_UNSUPPORTED = "attachment.unsupported"
CLASSIFIED_MARKING = "secret.classified_marking"
INTERNAL_MARKING = "secret.internal_marking"
MARKING_RULES = (CLASSIFIED_MARKING, INTERNAL_MARKING)
HIDDEN_LINK = "markup.hidden_link"
HIDDEN_TEXT = "markup.hidden_text"
SCRIPT = "markup.script"
EVENT_HANDLER = "markup.event_handler"
JAVASCRIPT_URL = "markup.javascript_url"
FRAME = "markup.frame"
META_REFRESH = "markup.meta_refresh"
BASE = "markup.base"


def term_rule_id(category: Category) -> str:
    """Return the stable rule id of term findings in a category, e.g. "term.gambling"."""
    return f"term.{category.value}"


@dataclass(frozen=True)
class TermRule:
    """One dictionary term. severity None means: the severity of the category's term rule."""

    text: str
    category: Category
    severity: Severity | None = None
    suggestion: str = ""


@dataclass(frozen=True)
class ContextRule:
    """A phrase inside which a term match is legitimate; category None applies to all terms."""

    phrase: str
    category: Category | None = None


@dataclass(frozen=True)
class DomainRule:
    """A host that is not commercial; include_subdomains also allows every host under it."""

    domain: str
    include_subdomains: bool = True


@dataclass(frozen=True)
class RuleConfig:
    """The severity of one rule id and whether it runs at all."""

    rule_id: str
    category: Category
    severity: Severity
    enabled: bool = True
    label: str = ""
    checklist: tuple[str, ...] = ()  # ids of docs/rule-checklist rows it enforces, e.g. RS-10


@dataclass(frozen=True)
class PrivacyData:
    """The slowly changing facts the personal-data detectors check against (data/privacy.json)."""

    province_codes: frozenset[str]
    earliest_birth_year: int
    mobile_prefixes: frozenset[str]
    card_iin_prefixes: tuple[str, ...]
    card_min_length: int
    card_max_length: int
    currency_before: frozenset[str]
    units_after: frozenset[str]
    code_labels: tuple[str, ...]
    label_window: int


@dataclass(frozen=True)
class Ruleset:
    """Everything a Screener needs, as plain values."""

    terms: tuple[TermRule, ...] = ()
    contexts: tuple[ContextRule, ...] = ()
    domains: tuple[DomainRule, ...] = ()
    rules: Mapping[str, RuleConfig] = field(default_factory=dict)

    def rule(self, rule_id: str) -> RuleConfig:
        """Return the configuration of rule_id, falling back to the national default."""
        found = self.rules.get(rule_id)
        if found is not None:
            return found
        return national_rules()[rule_id]


def _read_json(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def national_category_severities() -> dict[Category, Severity]:
    """Return each category's national default severity from data/rules.json."""
    data = _read_json("rules.json")
    return {
        Category(name): Severity(entry["severity"])
        for name, entry in data["categories"].items()
    }


def national_default_severity(category: Category) -> Severity:
    """Return the national default severity of a category (data/rules.json)."""
    return national_category_severities()[category]


@cache
def category_labels() -> dict[Category, str]:
    """Return the Chinese label of each category (data/rules.json)."""
    data = _read_json("rules.json")
    return {Category(name): str(entry["label"]) for name, entry in data["categories"].items()}


@cache
def national_rules() -> dict[str, RuleConfig]:
    """Return every rule id with its national default severity (data/rules.json)."""
    data = _read_json("rules.json")
    severities = national_category_severities()
    rules: dict[str, RuleConfig] = {}
    for entry in data["rules"]:
        category = Category(entry["category"])
        severity = Severity(entry["severity"]) if "severity" in entry else severities[category]
        rules[entry["rule_id"]] = RuleConfig(
            rule_id=entry["rule_id"], category=category, severity=severity,
            label=str(entry.get("label", "")),
            checklist=tuple(entry.get("checklist", ())),
        )
    return rules


def national_term_entries() -> list[dict[str, Any]]:
    """Return the default term entries of every data/terms/*.json file, with their category."""
    entries: list[dict[str, Any]] = []
    for path in sorted((DATA_DIR / "terms").glob("*.json")):
        data = _read_json(f"terms/{path.name}")
        category = Category(data["category"])
        for entry in data["terms"]:
            entries.append({**entry, "category": category})
    return entries


def national_context_entries() -> list[dict[str, Any]]:
    """Return the default allowed-context entries of data/allowed_contexts.json."""
    return list(_read_json("allowed_contexts.json")["contexts"])


def national_domain_entries() -> list[dict[str, Any]]:
    """Return the default allowed-domain entries of data/allowed_domains.json."""
    return list(_read_json("allowed_domains.json")["domains"])


def national_ruleset() -> Ruleset:
    """Build the national default Ruleset straight from the data files, with no database."""
    terms = tuple(
        TermRule(
            text=entry["text"],
            category=entry["category"],
            severity=Severity(entry["severity"]) if entry.get("severity") else None,
            suggestion=entry.get("suggestion", ""),
        )
        for entry in national_term_entries()
    )
    contexts = tuple(
        ContextRule(
            phrase=entry["phrase"],
            category=Category(entry["category"]) if entry.get("category") else None,
        )
        for entry in national_context_entries()
    )
    domains = tuple(
        DomainRule(domain=entry["domain"], include_subdomains=bool(entry["include_subdomains"]))
        for entry in national_domain_entries()
    )
    return Ruleset(terms=terms, contexts=contexts, domains=domains, rules=national_rules())


def ruleset_with_terms(base: Ruleset, terms: Iterable[TermRule]) -> Ruleset:
    """Return base with its terms replaced, e.g. to benchmark a large generated dictionary."""
    return Ruleset(terms=tuple(terms), contexts=base.contexts, domains=base.domains,
                   rules=base.rules)


@cache
def privacy_data() -> PrivacyData:
    """Return the facts the personal-data detectors use (data/privacy.json)."""
    data = _read_json("privacy.json")
    resident, mobile, card = data["resident_id"], data["mobile"], data["bank_card"]
    not_personal = data["not_personal"]
    return PrivacyData(
        province_codes=frozenset(resident["province_codes"]),
        earliest_birth_year=int(resident["earliest_birth_year"]),
        mobile_prefixes=frozenset(mobile["prefixes"]),
        card_iin_prefixes=tuple(card["iin_prefixes"]),
        card_min_length=int(card["min_length"]),
        card_max_length=int(card["max_length"]),
        currency_before=frozenset(not_personal["currency_before"]),
        units_after=frozenset(not_personal["units_after"]),
        code_labels=tuple(not_personal["code_labels"]),
        label_window=int(not_personal["label_window"]),
    )
