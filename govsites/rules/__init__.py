"""The one rule set: national defaults, city/province variants and audited admin overrides.

Readers ask for a parameter by its key::

    from govsites import rules
    limit = rules.value("column.archive_after_days_by_type", site=profile)

or take a snapshot when they read many values (`rules.snapshot(site=profile)`). Every key is
declared in the registry (`data/registry/`), which also names the code that reads it; see
docs/rules.md.
"""

from __future__ import annotations

from .registry import NATIONAL, RegistryError, UnknownParameter, registry, variant_names, variants
from .resolve import Applied, Resolved, RulesError, from_files, snapshot, value

__all__ = [
    "NATIONAL",
    "Applied",
    "RegistryError",
    "Resolved",
    "RulesError",
    "UnknownParameter",
    "from_files",
    "registry",
    "snapshot",
    "value",
    "variant_names",
    "variants",
]
