"""The bridge to the screening library (`govsites.screening`): text and outbound links of a page.

The inspector parses each page once (pageparse) and hands the screening library the page's text
and its external links; screening's rule ids map onto the inspector's rules through the rule data
(`screening_categories` and `screening_rules` params). The inspector screens with the admin's
dictionary (内容检查词库), `screening.selectors.current_screener()`, as the review workflow and
content imports do; when the dictionary cannot be read (no database, not migrated) it falls back
to the library's national plain data and the report says so, so an inspection of a foreign site
needs no setup.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .findings import InspectionFinding, make_finding
from .pageparse import Link
from .rulebook import Rulebook

SEVERITY_ORDER = {"info": 0, "warning": 1, "serious": 2, "veto": 3}


class ScreeningUnavailable(RuntimeError):
    """The screening library is not installed or has no Screener yet."""


@lru_cache(maxsize=1)
def _national_screener() -> Any:
    try:
        from govsites.screening import Screener
        from govsites.screening.rules import national_ruleset
    except ImportError as exc:
        raise ScreeningUnavailable(f"内容检查库不可用：{exc}") from exc
    return Screener.from_ruleset(national_ruleset())


def national_screener() -> Any:
    """Return a Screener built from the screening library's national data (no database)."""
    return _national_screener()


def dictionary_screener() -> tuple[Any, str]:
    """Return the admin's dictionary as a Screener, and "" or why the national list is used.

    `current_screener()` raises DictionaryUnavailable when the dictionary tables cannot be read;
    the inspection then screens with the national list and its notes say why.
    """
    from govsites.screening.selectors import DictionaryUnavailable, current_screener

    try:
        return current_screener(), ""
    except DictionaryUnavailable as exc:
        return national_screener(), f"{exc}；本次检查改用国家基础词库"


class PageScreen:
    """Screen one page's text and outbound links and report inspector findings."""

    def __init__(self, rulebook: Rulebook, screener: Any | None = None) -> None:
        self.rulebook = rulebook
        self.screener = screener
        self.available = True
        self.unavailable_reason = ""
        if self.screener is None:
            try:
                self.screener = national_screener()
            except ScreeningUnavailable as exc:
                self.available = False
                self.unavailable_reason = str(exc)
        self._by_category: dict[str, str] = {}
        self._overrides: dict[str, dict[str, Any]] = {}
        for rule_id in ("content.sensitive", "content.expression_error", "content.privacy",
                        "content.classified", "content.internal_leak", "content.spam_injection",
                        "link.commercial"):
            spec = rulebook.rule(rule_id)
            for category in spec.param("screening_categories", []):
                self._by_category[category] = rule_id
            for screening_rule, override in spec.param("screening_rules", {}).items():
                self._overrides[screening_rule] = {"rule": rule_id, **override}
            if rule_id == "content.privacy":
                self._by_category.setdefault("privacy", rule_id)

    def _convert(self, found: Any, url: str) -> InspectionFinding | None:
        category = str(getattr(found, "category", ""))
        screening_rule = str(getattr(found, "rule_id", ""))
        override = self._overrides.get(screening_rule)
        rule_id = override["rule"] if override else self._by_category.get(category)
        if rule_id is None:
            return None
        spec = self.rulebook.rule(rule_id)
        screening_severity = str(getattr(found, "severity", spec.severity))
        if override:
            severity = override.get("severity", spec.severity)
            veto = bool(override.get("veto", spec.veto))
        else:
            severity = screening_severity
            veto = spec.veto and screening_severity == "veto"
        label = self.rulebook.rule(rule_id).title
        return make_finding(
            spec, url=url, evidence=str(getattr(found, "evidence", "")),
            message=f"{label}（{screening_rule}）", severity=severity, veto=veto,
            extra={"screening_rule": screening_rule, "category": category,
                   "context": str(getattr(found, "context", ""))[:200]},
        )

    def screen(self, *, url: str, text: str, external_links: Iterable[Link],
               today: Any = None) -> list[InspectionFinding]:
        """Return the content and commercial-link findings of one page."""
        if not self.available or self.screener is None:
            return []
        results: list[InspectionFinding] = []
        for found in self.screener.scan_text(text, location=url, today=today):
            converted = self._convert(found, url)
            if converted is not None:
                results.append(converted)
        anchors = [link for link in external_links if link.kind == "a" or link.hidden]
        if anchors:
            from govsites.screening.links import Link as ScreeningLink

            texts = {link.url: link.text for link in anchors}
            candidates = [ScreeningLink(href=link.url, text=link.text, source="a")
                          for link in anchors]
            for found in self.screener.check_links(candidates, location=url, base_url=url):
                converted = self._convert(found, url)
                if converted is not None:
                    target = str(getattr(found, "evidence", ""))
                    converted.page = url
                    converted.link_text = texts.get(target, "")
                    converted.message = f"链接到非政府网站：{target}"
                    results.append(converted)
        return results
