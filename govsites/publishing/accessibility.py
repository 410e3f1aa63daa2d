"""GB/T 37668-2019 levels from axe-core's automated checks, per site (PA-07).

GB/T 37668 grades web content in three levels: 一级 (its 20 indicators), 二级 (those and 17
more, 37) and 三级 (all 58). The counts, and which WCAG 2.0 conformance level each GB/T level
corresponds to, are rule parameters (`accessibility.gbt37668.*`), not numbers in code.

axe-core says itself which WCAG 2.0 success criterion each of its rules tests (tags such as
`wcag2a` + `wcag111`); that is the only mapping used here. A criterion counts as checked for a
level when some axe rule run tests it, and as passing when none of those rules found a
violation on any page examined. Everything else in a level (criteria no automated rule can
judge: captions, meaningful sequence, …) is counted as awaiting manual evaluation and is never
reported as passed. WCAG 2.1-only and best-practice rules belong to no GB/T indicator.

Manual evaluation: an evaluator records, per site, the result of each WCAG 2.0 success criterion
(pass, fail, not applicable; `record_manual_accessibility_check`). A level is reached
(`conforms`) only when axe found no violation of its criteria, no manual result failed, and every
criterion of the level that axe does not test has a manual result. The WCAG 2.0 criteria and
their levels are `data/wcag20.json`; which GB/T level each WCAG level stands for stays the rule
parameter `accessibility.gbt37668.level_by_wcag` (provisional until checked against the
standard's text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from govsites import rules

WCAG_LEVEL_TAGS = {"wcag2a": "A", "wcag2aa": "AA", "wcag2aaa": "AAA"}
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
#: The axe tags run for the report: every WCAG 2.0 rule axe has (A and AA; AAA it has few).
AXE_REPORT_TAGS = list(WCAG_LEVEL_TAGS)
MANUAL_RESULTS = {"pass": "通过", "fail": "未通过", "not_applicable": "不适用"}


@dataclass(frozen=True)
class Criterion:
    """One WCAG 2.0 success criterion: its number, conformance level and Chinese name."""

    number: str
    level: str
    name: str


@cache
def wcag20_criteria() -> dict[str, Criterion]:
    """The 61 success criteria of WCAG 2.0 (data/wcag20.json), in order."""
    path = Path(__file__).resolve().parent / "data" / "wcag20.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {number: Criterion(number, entry["level"], entry["name"])
            for number, entry in data["criteria"].items()}


@dataclass(frozen=True)
class AxeRule:
    """One axe-core rule: the WCAG 2.0 criteria it tests and their conformance level."""

    rule_id: str
    criteria: tuple[str, ...]
    wcag_level: str | None  # None: WCAG 2.1-only or best practice, no GB/T indicator

    @classmethod
    def from_tags(cls, rule_id: str, tags: Iterable[str]) -> AxeRule:
        tags = list(tags)
        levels = [WCAG_LEVEL_TAGS[t] for t in tags if t in WCAG_LEVEL_TAGS]
        criteria = tuple(sorted(".".join(m.groups()) for t in tags
                                if (m := _CRITERION_TAG.match(t))))
        return cls(rule_id, criteria if levels else (), levels[0] if levels else None)


@dataclass
class LevelResult:
    """What the automated checks say about one GB/T 37668 level on one site."""

    name: str
    indicators: int
    checked: list[str] = field(default_factory=list)           # WCAG 2.0 criteria axe tests
    own_checked: int = 0  # of those, the ones this level adds to the level below
    failed: dict[str, list[str]] = field(default_factory=dict)  # criterion -> "rule @ page"
    #: WCAG 2.0 criteria of the level (and the levels below) that no axe rule run tests
    manual_criteria: list[str] = field(default_factory=list)
    #: the evaluators' latest result of each criterion of the level: pass, fail, not_applicable
    manual_results: dict[str, str] = field(default_factory=dict)

    @property
    def manual_failed(self) -> list[str]:
        """Criteria of the level an evaluator found failing."""
        return sorted((c for c, r in self.manual_results.items() if r == "fail"), key=_order)

    @property
    def awaiting(self) -> list[str]:
        """Criteria of the level no axe rule tests and no evaluator has recorded yet."""
        return [c for c in self.manual_criteria if c not in self.manual_results]

    @property
    def conforms(self) -> bool:
        """The level is reached: no automated or manual failure, nothing left to evaluate."""
        return not self.failed and not self.manual_failed and not self.awaiting

    @property
    def manual(self) -> int:
        """Indicators of the level no automated rule judges (at least 0)."""
        return max(self.indicators - len(self.checked), 0)

    @property
    def automated_pass(self) -> bool:
        """No failure, and at least one criterion of this level's own was checked (a level
        none of whose own criteria can be checked automatically is not claimed)."""
        return self.own_checked > 0 and not self.failed

    def summary(self) -> str:
        verdict = "自动检查项全部通过" if self.automated_pass else (
            f"未通过 {len(self.failed)} 项（" + "、".join(sorted(self.failed)) + "）"
            if self.failed else "本级新增指标没有可自动检查的项，不作判断")
        done = len(self.manual_results)
        manual = (f"人工评测已记录 {done} 项（未通过 {len(self.manual_failed)} 项"
                  + (f"：{'、'.join(self.manual_failed)}" if self.manual_failed else "")
                  + f"），待评测 {len(self.awaiting)} 项")
        reached = "，达到本级" if self.conforms else ""
        return (f"{self.name}（{self.indicators} 项指标）：可自动检查的对应准则 "
                f"{len(self.checked)} 项，{verdict}；其余 {self.manual} 项需人工评测；"
                f"{manual}{reached}")


def _order(criterion: str) -> tuple[int, ...]:
    return tuple(int(part) for part in criterion.split("."))


def level_parameters(site: Any = None) -> tuple[dict[str, int], dict[str, str]]:
    """The indicator count of each level (in order) and the GB/T level of each WCAG level."""
    counts = rules.value("accessibility.gbt37668.level_indicators", site=site)
    by_wcag = rules.value("accessibility.gbt37668.level_by_wcag", site=site)
    return {str(k): int(v) for k, v in counts.items()}, {str(k): str(v) for k, v in by_wcag.items()}


def assess(axe_rules: Iterable[AxeRule], violations: Mapping[str, Iterable[str]], *,
           site: Any = None, manual: Mapping[str, str] | None = None) -> list[LevelResult]:
    """Grade the pages examined: `violations` maps each page's path to the ids of the axe
    rules that failed on it (a page with none maps to an empty list); `manual` maps WCAG 2.0
    criteria to the evaluators' latest result (pass, fail, not_applicable)."""
    manual = dict(manual or {})
    criteria = wcag20_criteria()
    counts, by_wcag = level_parameters(site)
    order = list(counts)
    by_id = {r.rule_id: r for r in axe_rules}
    results = []
    for index, name in enumerate(order):
        included = {wcag for wcag, level in by_wcag.items()
                    if level in order and order.index(level) <= index}
        own = {wcag for wcag, level in by_wcag.items() if level == name}
        level_rules = [r for r in by_id.values() if r.wcag_level in included]
        checked = sorted({c for r in level_rules for c in r.criteria})
        of_level = [c for c, criterion in criteria.items() if criterion.level in included]
        result = LevelResult(name, counts[name], checked,
                             own_checked=len({c for r in level_rules if r.wcag_level in own
                                              for c in r.criteria}),
                             manual_criteria=[c for c in of_level if c not in checked],
                             manual_results={c: manual[c] for c in of_level if c in manual})
        for path, failed_ids in sorted(violations.items()):
            for rule_id in failed_ids:
                if rule_id.startswith("axe-error"):  # axe did not finish: nothing passed
                    result.failed.setdefault("axe", []).append(f"{rule_id} @ {path}")
                    continue
                rule = by_id.get(rule_id)
                if rule is None or rule.wcag_level not in included:
                    continue
                for criterion in rule.criteria:
                    result.failed.setdefault(criterion, []).append(f"{rule_id} @ {path}")
        results.append(result)
    return results


def highest_level_reached(results: list[LevelResult]) -> str:
    """The highest level reached with the manual evaluation ("" when not even 一级)."""
    reached = ""
    for result in results:
        if not result.conforms:
            break
        reached = result.name
    return reached


def highest_level_passed(results: list[LevelResult]) -> str:
    """The highest level whose automated checks all pass ("" when not even 一级's)."""
    passed = ""
    for result in results:
        if not result.automated_pass:
            break
        passed = result.name
    return passed


# --- running axe-core in a browser --------------------------------------------------------

def axe_script_path() -> Path:
    """axe-core as `npm ci` installs it at the repository root."""
    return Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def run_axe_on(driver: Any, base: str, paths: Iterable[str]
               ) -> tuple[list[AxeRule], dict[str, list[str]]]:
    """Open each path in the (Selenium) browser, run axe's WCAG 2.0 rules; return the rules
    run and the ids of the rules each page failed."""
    script = axe_script_path().read_text(encoding="utf-8")
    axe_rules: list[AxeRule] = []
    violations: dict[str, list[str]] = {}
    for path in paths:
        driver.get(base.rstrip("/") + path)
        driver.execute_script(script)
        if not axe_rules:
            axe_rules = [AxeRule.from_tags(r["ruleId"], r["tags"]) for r in driver.execute_script(
                "return axe.getRules(arguments[0]).map(r => ({ruleId: r.ruleId, tags: r.tags}))",
                AXE_REPORT_TAGS)]
        found = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => v.id)))"
            ".catch(e => done(['axe-error: ' + e]));", AXE_REPORT_TAGS)
        violations[path] = [str(v) for v in found]
    return axe_rules, violations


@dataclass(frozen=True)
class SiteReport:
    hostname: str
    name: str
    pages: list[str]
    levels: list[LevelResult]

    @property
    def highest_level(self) -> str:
        return highest_level_passed(self.levels)

    @property
    def level_reached(self) -> str:
        return highest_level_reached(self.levels)


def report_sites(driver: Any, port: int | str, sites: Iterable[Any]) -> list[SiteReport]:
    """Run the checks on each site's sample pages (one of each page type it has), reached
    through its own host name on a loopback server (`*.localhost` resolves to this machine)."""
    from govsites.sites.selectors import profile_for_site

    from .pagetypes import sample_pages
    from .selectors import manual_accessibility_results

    reports = []
    for site in sites:
        samples, _missing = sample_pages(site)
        paths = [s.path for s in samples]
        base = f"http://{site.hostname}:{port}"
        axe_rules, violations = run_axe_on(driver, base, paths)
        profile = profile_for_site(site)
        manual = manual_accessibility_results(profile) if profile else {}
        reports.append(SiteReport(site.hostname, profile.name if profile else site.site_name,
                                  paths, assess(axe_rules, violations, site=profile,
                                                manual=manual)))
    return reports
