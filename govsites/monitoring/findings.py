"""What the inspector reports: findings with a stable rule id, and a registry of the checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .rulebook import RuleSpec


@dataclass
class InspectionFinding:
    """One problem on one URL. Evidence never shows personal data unmasked.

    url: where the problem is (for link.broken: the broken target; `page` names a page linking it).
    veto: whether this finding alone fails the site (单项否决); count-based vetoes are decided
    by scoring.
    source: "crawl" (seen on the pages), "database" (platform mode) or "prober" (uptime history).
    """

    rule_id: str
    url: str
    evidence: str
    severity: str
    veto: bool
    message: str
    page: str = ""
    link_text: str = ""
    source: str = "crawl"
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_finding(spec: RuleSpec, *, url: str, evidence: str, message: str,
                 veto: bool | None = None, severity: str | None = None,
                 **kwargs: Any) -> InspectionFinding:
    """Build a finding with the severity and veto flag the rule data gives (overridable)."""
    return InspectionFinding(
        rule_id=spec.rule_id, url=url, evidence=evidence,
        severity=severity or spec.severity, veto=spec.veto if veto is None else veto,
        message=message, **kwargs,
    )


@dataclass(frozen=True)
class CheckInfo:
    rule_id: str
    scope: str  # "page" | "site"
    func: Callable[..., Iterable[InspectionFinding]]


_CHECKS: dict[str, CheckInfo] = {}
_FROZEN = False


def register_check(rule_id: str, *, scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a check for a rule id (refused once the registry is frozen)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        if _FROZEN:
            raise RuntimeError("the check registry is frozen; register checks at import time")
        key = f"{scope}:{rule_id}:{func.__name__}"
        _CHECKS[key] = CheckInfo(rule_id, scope, func)
        return func

    return decorator


def freeze_checks() -> None:
    """Refuse new checks (called from MonitoringConfig.ready())."""
    global _FROZEN
    _FROZEN = True


class register_temporarily:
    """Register a check only inside a `with` block (for tests), even once the registry is frozen.

    `with register_temporarily("page.demo", scope="page", func=check) as info:` adds the check for
    the block and removes it afterwards, leaving the registry as it was. The check runs in this
    process only: analysis worker processes import the checks module and see no temporary check,
    so crawl with `analysis_workers=0` while one is registered.
    """

    def __init__(self, rule_id: str, *, scope: str,
                 func: Callable[..., Iterable[InspectionFinding]]) -> None:
        if scope not in ("page", "site"):
            raise ValueError(f"unknown check scope {scope!r}")
        self.key = f"{scope}:{rule_id}:{func.__name__}:temporary"
        self.info = CheckInfo(rule_id, scope, func)

    def __enter__(self) -> CheckInfo:
        if self.key in _CHECKS:
            raise RuntimeError(f"check {self.key!r} is already registered")
        _CHECKS[self.key] = self.info
        return self.info

    def __exit__(self, *exc: object) -> None:
        _CHECKS.pop(self.key, None)


def checks(scope: str) -> list[CheckInfo]:
    """Return the registered checks of a scope in registration order."""
    return [c for c in _CHECKS.values() if c.scope == scope]


def rule_ids() -> list[str]:
    """Every rule id some check reports."""
    return sorted({c.rule_id for c in _CHECKS.values()})
