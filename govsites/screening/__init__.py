"""Screening library (内容检查): terms, personal data and commercial links in content.

The public API, importable from here without touching the database at import time:
`Screener`, `current_screener` (alias `default_screener`), `national_ruleset`, `Ruleset`, `TermRule`, `ContextRule`,
`DomainRule`, `extract_links`, `Link`, `Finding`, `Category`, `Severity`, `usage_findings`. See docs/screening.md.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Category",
    "ContextRule",
    "DomainRule",
    "Finding",
    "Link",
    "Ruleset",
    "Screener",
    "Severity",
    "TermRule",
    "current_screener",
    "default_screener",
    "extract_links",
    "national_ruleset",
    "usage_findings",
]

_EXPORTS = {
    "Category": "types",
    "Finding": "types",
    "Severity": "types",
    "Screener": "engine",
    "current_screener": "selectors",
    "default_screener": "selectors",
    "extract_links": "markup",
    "Link": "links",
    "national_ruleset": "rules",
    "Ruleset": "rules",
    "TermRule": "rules",
    "ContextRule": "rules",
    "DomainRule": "rules",
    "usage_findings": "usage",
}


def __getattr__(name: str) -> Any:
    # Lazy, because Django imports this package before models may be imported.
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'govsites.screening' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module_name}"), name)
