"""Reads: the dictionary as a Ruleset, and the process-wide Screener built from it.

current_screener() is the one Screener every caller uses: the review workflow, content imports
and the site inspector alike screen with the admin's dictionary (内容检查词库) as it is now. It
is rebuilt only after the dictionary changes, and it pickles as its plain rules, so a worker
process handed one compiles its own copy (about 70 ms for the national list).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import DatabaseError

from .engine import DFA_MAX_PATTERN_UNITS, Screener
from .models import AllowedContext, AllowedDomain, RuleSetting, RulesetVersion, Term
from .rules import (
    TERM_CATEGORIES,
    ContextRule,
    DomainRule,
    RuleConfig,
    Ruleset,
    TermRule,
    national_default_severity,
    national_rules,
    term_rule_id,
)
from .types import Category, Severity

_lock = threading.Lock()
_cached: tuple[str, Screener] | None = None


def ruleset_version_token() -> str:
    """Return the token that changes whenever a term, context, domain or rule changes."""
    token = RulesetVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(token) if token is not None else ""


def ruleset_from_database() -> Ruleset:
    """Return the enabled dictionary entries and rule settings as a plain Ruleset."""
    terms = tuple(
        TermRule(text=text, category=Category(category),
                 severity=Severity(severity) if severity else None, suggestion=suggestion)
        for text, category, severity, suggestion in Term.objects.filter(enabled=True)
        .order_by("pk").values_list("text", "category", "severity", "suggestion")
    )
    contexts = tuple(
        ContextRule(phrase=phrase, category=Category(category) if category else None)
        for phrase, category in AllowedContext.objects.filter(enabled=True)
        .values_list("phrase", "category")
    )
    domains = tuple(
        DomainRule(domain=domain, include_subdomains=subdomains)
        for domain, subdomains in AllowedDomain.objects.filter(enabled=True)
        .values_list("domain", "include_subdomains")
    )
    rules = dict(national_rules())
    for rule_id, severity, enabled, label in RuleSetting.objects.values_list(
        "rule_id", "severity", "enabled", "label"
    ):
        if rule_id in rules:
            rules[rule_id] = RuleConfig(rule_id=rule_id, category=rules[rule_id].category,
                                        severity=Severity(severity), enabled=enabled,
                                        label=label or rules[rule_id].label,
                                        checklist=rules[rule_id].checklist)
    return Ruleset(terms=terms, contexts=contexts, domains=domains, rules=rules)


class DictionaryUnavailable(RuntimeError):
    """The screening dictionary cannot be read (the database is not set up or not migrated)."""


def current_screener() -> Screener:
    """Return the Screener for the dictionary as it is now, rebuilt only after a change.

    One indexed query per call checks the version token; building takes about 70 ms for the
    national list and a few seconds for 10,000 terms (with their pinyin and folded forms).
    settings.GOVSITES_SCREENING_DFA_MAX_UNITS (optional) caps the dictionary size that still
    gets the fast, memory-hungry DFA. Raises DictionaryUnavailable, with what to do, when the
    dictionary tables cannot be read.
    """
    global _cached
    try:
        token = ruleset_version_token()
    except DatabaseError as error:
        raise DictionaryUnavailable(
            "内容检查词库不可读取，请先运行 govsites migrate 完成数据库迁移"
            f"（{type(error).__name__}: {error}）") from error
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == token:
            return _cached[1]
        screener = Screener(
            ruleset_from_database(),
            dfa_max_units=getattr(settings, "GOVSITES_SCREENING_DFA_MAX_UNITS",
                                  DFA_MAX_PATTERN_UNITS),
        )
        _cached = (token, screener)
        return screener


#: The name the review workflow and content imports have called it by.
default_screener = current_screener


def current_ruleset() -> Ruleset:
    """Return the plain rules of current_screener(), e.g. to hand to another process."""
    return current_screener().ruleset


def category_severity(category: Category) -> Severity:
    """Return the severity in force for a category's term findings.

    For a term category this is its rule's severity as set in the admin; for other categories
    (and when no setting is stored) the national default of data/rules.json.
    """
    if category in TERM_CATEGORIES:
        stored = (RuleSetting.objects.filter(rule_id=term_rule_id(category))
                  .values_list("severity", flat=True).first())
        if stored:
            return Severity(stored)
    return national_default_severity(category)
