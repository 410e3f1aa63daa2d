"""Rules the platform judges from its own records, for the inspector and the platform's alerts alike.

Some rules cannot be seen in a crawl: whether a 规范性文件 got its 解读 in time (CC-10–12), how
many dynamic items each responsible unit published (CC-23), whether a column has gone unmaintained
(CC-22/24), whether a flagged sensitive item was removed in time (RS-16), whether the prober
probed often enough (PA-04), whether the site's registration fits the rules (ID-01/02/30). Each
is a function of one of our sites and the rule data in force, registered here by rule id:

- the inspector's platform mode (`platform.apply_platform_mode`) adds their findings to the
  inspection, so they count in its verdict;
- the platform's own alerts (`services.raise_platform_alerts`, the daily job
  `monitoring.platform_rules`) open 整改单 for the same findings.

Both call `platform_findings()` with the same rulebook, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .findings import InspectionFinding
from .rulebook import Rulebook


@dataclass(frozen=True)
class PlatformContext:
    """One of our sites as the platform checks see it."""

    profile: Any  # sites.SiteProfile
    base_url: str  # the site's public address, no trailing slash
    rulebook: Rulebook
    as_of: dt.date

    def url(self, url_path: str) -> str:
        """The public address of a page of the site from its Wagtail url_path."""
        home_path = self.profile.site.root_page.url_path
        public = "/" + url_path[len(home_path):] if url_path.startswith(home_path) else url_path
        return self.base_url + public


PlatformCheck = Callable[[PlatformContext], Iterable[InspectionFinding]]
_CHECKS: dict[str, PlatformCheck] = {}


def platform_check(rule_id: str) -> Callable[[PlatformCheck], PlatformCheck]:
    """Register a check computed from the platform's records under its rule id."""
    def register(func: PlatformCheck) -> PlatformCheck:
        if rule_id in _CHECKS:
            raise ValueError(f"platform check {rule_id!r} registered twice")
        _CHECKS[rule_id] = func
        return func
    return register


def platform_rule_ids() -> list[str]:
    """The rule ids judged from the platform's records."""
    from .checks import platform_checks  # noqa: F401 - registers the checks

    return list(_CHECKS)


def platform_findings(profile: Any, *, base_url: str, rulebook: Rulebook,
                      as_of: dt.date) -> list[InspectionFinding]:
    """Run every platform check on one of our sites."""
    from .checks import platform_checks  # noqa: F401 - registers the checks

    ctx = PlatformContext(profile=profile, base_url=base_url.rstrip("/"), rulebook=rulebook,
                          as_of=as_of)
    findings: list[InspectionFinding] = []
    for rule_id, check in _CHECKS.items():
        if rule_id in rulebook.rules:
            findings.extend(check(ctx))
    return findings


def platform_findings_for(rule_id: str, ctx: PlatformContext) -> list[InspectionFinding]:
    """Run one platform check (a ticket's re-check)."""
    from .checks import platform_checks  # noqa: F401 - registers the checks

    return list(_CHECKS[rule_id](ctx))
