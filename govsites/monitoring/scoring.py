"""The verdict the way the 2019 检查指标 decide it: 单项否决 first, then the deduction table.

Single-veto rules fail the site outright; count-based vetoes (≥5 stale columns, ≥10 long
unupdated columns, ≥5 blank columns) and the uptime share come from the rule data. Without a
veto, the 扣分 part is scored: every finding deducts its rule's points, never more than its
indicator's points, and a score below the pass line fails. The report names the deciding rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .findings import InspectionFinding
from .rulebook import Rulebook


@dataclass
class VetoReason:
    rule_id: str
    title: str
    reason: str


@dataclass
class Deduction:
    indicator_id: str
    title: str
    points: float
    cap: float
    findings: int


@dataclass
class Verdict:
    """合格 / 不合格 / 单项否决, with the rule that decided it."""

    label: str
    passed: bool
    decided_by: str
    decided_because: str
    score: float | None
    vetoes: list[VetoReason] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    provisional: bool = True
    decided_by_title: str = ""  # what decided, in words: a rule's title or the score indicator
    bonus_eligible: bool = False  # passed above `score.bonus_above`: the 加分 part applies (IS-11)
    bonus_above: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def veto_reasons(findings: list[InspectionFinding], rulebook: Rulebook, *,
                 uptime_share: float | None = None) -> list[VetoReason]:
    """List every 单项否决 the findings (and the uptime share) trigger, in rule-data order."""
    reasons: list[VetoReason] = []
    counts = Counter(f.rule_id for f in findings)
    first_veto: dict[str, InspectionFinding] = {}
    for finding in findings:
        if finding.veto and finding.rule_id not in first_veto:
            first_veto[finding.rule_id] = finding
    for rule_id, spec in rulebook.rules.items():
        if rule_id in first_veto:
            f = first_veto[rule_id]
            n = sum(1 for x in findings if x.rule_id == rule_id and x.veto)
            reasons.append(VetoReason(rule_id, spec.title, f"{f.message}（{f.url}）" +
                                      (f"，共 {n} 处" if n > 1 else "")))
            continue
        if rule_id == "site.unavailable" and uptime_share is not None:
            line = float(spec.param("veto_share", 0.05))
            if uptime_share >= line:
                reasons.append(VetoReason(rule_id, spec.title,
                                          f"近 {spec.param('window_days', 7)} 天探测失败比例 "
                                          f"{uptime_share:.1%}，达到 {line:.0%}"))
        elif rule_id == "column.stale":
            typed = sum(1 for f in findings if f.rule_id == rule_id
                        and f.extra.get("kind", "typed") == "typed")
            long = sum(1 for f in findings if f.rule_id == rule_id and f.extra.get("kind") == "long")
            line = int(spec.param("veto_count", 5))
            long_line = int(spec.param("long_unupdated_veto_count", 10))
            if typed >= line:
                reasons.append(VetoReason(rule_id, spec.title,
                                          f"{typed} 个动态、要闻、通知公告、政策文件类栏目未按时更新，达到 {line} 个"))
            elif long >= long_line:
                reasons.append(VetoReason(rule_id, spec.title,
                                          f"{long} 个应更新栏目长期未更新，达到 {long_line} 个"))
        elif rule_id == "column.empty":
            line = int(spec.param("veto_count", 5))
            if counts[rule_id] >= line:
                reasons.append(VetoReason(rule_id, spec.title,
                                          f"{counts[rule_id]} 个空白栏目，达到 {line} 个"))
    return reasons


def deductions(findings: Iterable[InspectionFinding], rulebook: Rulebook) -> list[Deduction]:
    """Apply the deduction table: points per finding, capped at each indicator's points."""
    counts = Counter(f.rule_id for f in findings)
    result = []
    for indicator in rulebook.indicators:
        raw = sum(points * counts[rule_id] for rule_id, points in indicator.per_finding.items())
        n = sum(counts[rule_id] for rule_id in indicator.per_finding)
        result.append(Deduction(indicator.indicator_id, indicator.title,
                                round(min(raw, indicator.points), 2), indicator.points, n))
    return result


def score(findings: list[InspectionFinding], rulebook: Rulebook, *,
          uptime_share: float | None = None) -> Verdict:
    """Decide the verdict: any 单项否决 fails; otherwise the deduction score against the pass line."""
    vetoes = veto_reasons(findings, rulebook, uptime_share=uptime_share)
    table = deductions(findings, rulebook)
    provisional = rulebook.deductions_provisional
    if vetoes:
        first = vetoes[0]
        return Verdict(label="单项否决", passed=False, decided_by=first.rule_id,
                       decided_because=f"{first.title}：{first.reason}", score=None,
                       vetoes=vetoes, deductions=table, provisional=provisional,
                       decided_by_title=f"单项否决：{first.title}")
    total = round(rulebook.score_total - sum(d.points for d in table), 2)
    if total < rulebook.fail_below:
        worst = max(table, key=lambda d: d.points)
        return Verdict(label="不合格", passed=False, decided_by=f"score:{worst.indicator_id}",
                       decided_because=f"扣分后得分 {total}，低于 {rulebook.fail_below:g} 分"
                                       f"（扣分最多的指标：{worst.title} −{worst.points:g}）",
                       score=total, deductions=table, provisional=provisional,
                       decided_by_title=f"扣分评分：{worst.title}")
    return Verdict(label="合格", passed=True, decided_by="score",
                   decided_because=f"无单项否决，扣分后得分 {total}", score=total,
                   deductions=table, provisional=provisional, decided_by_title="扣分评分",
                   bonus_eligible=total > rulebook.bonus_above, bonus_above=rulebook.bonus_above)
