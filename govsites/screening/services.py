"""Writes to the screening dictionary that are not plain admin edits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govsites.core import audit as core_audit

from . import audit
from .defaults import InstallReport, install_national_defaults
from .handlers import bump_ruleset_version
from .models import AllowedContext, AllowedDomain, RuleSetting, Term


def load_national_defaults(*, acting_user: Any = None) -> InstallReport:
    """Add the national default terms, contexts, domains and rules that are missing.

    Rows an operator already has are kept as edited, so a newer release's additions can be
    loaded into a running installation without undoing local changes.
    """
    with transaction.atomic():
        report = install_national_defaults(
            term_model=Term, context_model=AllowedContext, domain_model=AllowedDomain,
            rule_model=RuleSetting,
        )
        bump_ruleset_version()
        core_audit.record(
            action=audit.INSTALL_DEFAULTS, actor=acting_user,
            details={"terms": report.terms, "contexts": report.contexts,
                     "domains": report.domains, "rules": report.rules},
        )
    return report
