"""Platform mode: for a site we run, freshness and blank columns come from the database (exact).

The crawl still runs every check; then the crawl's column.stale, column.empty and home.stale
findings are replaced by the same rules computed from `content.selectors.column_freshness` and
`home_last_published_at`, and every place where the two disagree is listed in the report.
Interaction (互动回应): the 3-month rule is judged from the interaction app's records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from govsites.content import selectors as content_selectors

from .findings import InspectionFinding, make_finding
from .inspector import InspectionResult
from .platform_rules import platform_findings, platform_rule_ids
from .rulebook import Rulebook
from .scoring import score

DB_RULES = ("column.stale", "column.empty", "home.stale")
INTERACTION_NOTE = "互动回应：留言超过三个月未答复（IA-02）按平台数据库核对"


@dataclass(frozen=True)
class Disagreement:
    rule_id: str
    path: str
    crawl: bool
    database: bool
    note: str


def _public_path(url_path: str, home_path: str) -> str:
    return "/" + url_path[len(home_path):] if url_path.startswith(home_path) else url_path


def database_findings(profile: Any, *, base_url: str, rulebook: Rulebook,
                      as_of: dt.date) -> list[InspectionFinding]:
    """Compute column.stale, column.empty and home.stale for one of our sites from the database."""
    home = profile.site.root_page
    home_path = home.url_path
    columns = content_selectors.column_freshness(home)
    stale_spec = rulebook.rule("column.stale")
    limits: dict[str, int] = stale_spec.param("max_age_days_by_type", {})
    top_only = set(stale_spec.param("top_level_only_types", []))
    paths = [c.url_path for c in columns]
    findings: list[InspectionFinding] = []
    for column in columns:
        if column.status != "active":
            continue
        public = _public_path(column.url_path, home_path)
        url = base_url.rstrip("/") + public
        has_children = any(p != column.url_path and p.startswith(column.url_path) for p in paths)
        if column.item_count == 0 and not has_children:
            findings.append(make_finding(
                rulebook.rule("column.empty"), url=url, source="database",
                evidence=f"{column.title}（{column.column_type}）",
                message=f"空白栏目：“{column.title}”没有任何信息（数据库）"))
            continue
        if column.item_count == 0:
            continue
        level = public.strip("/").count("/") + 1
        limit = limits.get(column.column_type)
        kind = "typed"
        if limit is None or (column.column_type in top_only and level > 1):
            limit, kind = column.interval_days, "long"
        if not limit:
            continue
        last = timezone.localtime(column.last_published_at).date() if column.last_published_at else None
        age = (as_of - last).days if last else None
        if age is None or age > limit:
            shown = f"最近更新 {last.isoformat()}（{age} 天前）" if last else "无发布记录"
            findings.append(make_finding(
                stale_spec, url=url, source="database",
                evidence=f"{column.title}：{shown}，时限 {limit} 天",
                message=f"栏目不更新：“{column.title}”（{column.column_type}）超过 {limit} 天未更新（数据库）",
                extra={"column_type": column.column_type, "age_days": age, "limit_days": limit,
                       "last_update": last.isoformat() if last else None, "kind": kind}))
    home_spec = rulebook.rule("home.stale")
    limit = int(home_spec.param("max_age_days", 14))
    newest = content_selectors.home_last_published_at(home)
    last = timezone.localtime(newest).date() if newest else None
    age = (as_of - last).days if last else None
    if age is None or age > limit:
        findings.append(make_finding(
            home_spec, url=base_url.rstrip("/") + "/", source="database",
            evidence=f"最新信息 {last.isoformat()}（{age} 天前）" if last else "站点没有已发布信息",
            message=f"首页超过 {limit} 天未更新（数据库）",
            extra={"age_days": age, "limit_days": limit}))
    return findings


def judge_services_by_site_kind(findings: list[InspectionFinding], profile: Any,
                    rulebook: Rulebook) -> list[InspectionFinding]:
    """服务不实用 (IS-12) by the site's kind: a veto where it applies, nothing where it does not."""
    spec = rulebook.rule("service.missing")
    applies = profile.kind in set(spec.param("applies_to_site_kinds", []))
    judged = []
    for finding in findings:
        if finding.rule_id == "service.missing" and finding.extra.get("needs_site_kind"):
            if not applies:
                continue
            finding = make_finding(spec, url=finding.url, evidence=finding.evidence,
                                   message="全站未提供办事服务栏目、办事指南或办事入口",
                                   extra={"site_kind": profile.kind})
        judged.append(finding)
    return judged


def _paths(findings: list[InspectionFinding], rule_id: str) -> set[str]:
    return {urlsplit(f.url).path or "/" for f in findings if f.rule_id == rule_id}


def apply_platform_mode(result: InspectionResult, profile: Any, *, rulebook: Rulebook,
                        uptime_share: float | None = None) -> InspectionResult:
    """Replace crawl freshness findings with database ones, list disagreements, and re-score."""
    parts = urlsplit(result.target)
    base_url = f"{parts.scheme}://{parts.netloc}"
    db = database_findings(profile, base_url=base_url, rulebook=rulebook, as_of=result.as_of)
    crawl = [f for f in result.findings if f.rule_id in DB_RULES]
    disagreements: list[Disagreement] = []
    for rule_id in DB_RULES:
        crawl_paths, db_paths = _paths(crawl, rule_id), _paths(db, rule_id)
        for path in sorted(crawl_paths ^ db_paths):
            in_crawl, in_db = path in crawl_paths, path in db_paths
            note = ("抓取结果报告此问题，数据库未发现（页面显示与数据不一致，或抓取未覆盖全部信息）"
                    if in_crawl else "数据库发现此问题，抓取未发现（页面可能显示了未计入栏目的信息，或该栏目未被抓取）")
            disagreements.append(Disagreement(rule_id, path, in_crawl, in_db, note))
    own = platform_findings(profile, base_url=base_url, rulebook=rulebook, as_of=result.as_of)
    result.findings = judge_services_by_site_kind(
        [f for f in result.findings if f.rule_id not in DB_RULES], profile, rulebook) + db + own
    result.verdict = score(result.findings, rulebook, uptime_share=uptime_share)
    result.platform = {
        "site": profile.name, "site_code": profile.site_code,
        "database_rules": [*DB_RULES, *platform_rule_ids()],
        "disagreements": [d.__dict__ for d in disagreements],
        "interaction": INTERACTION_NOTE,
        "uptime_share": uptime_share,
    }
    result.notes.append(INTERACTION_NOTE)
    return result
