"""Inspection and monthly reports: HTML from templates, PDF through WeasyPrint, charts as SVG."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import charts
from . import selectors as monitoring_selectors
from .choices import TicketStatus
from .labels import decided_by_label, naming_rulebook, rule_title, severity_label
from .rulebook import Rulebook, load_rulebook

MAX_ROWS_PER_RULE = 200


def _rule_titles() -> dict[str, str]:
    return {rule_id: spec.title for rule_id, spec in naming_rulebook().rules.items()}


def _local(value: Any) -> dt.datetime | None:
    """A stored ISO time (UTC) as a Beijing-time datetime, for display."""
    if not value:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return timezone.localtime(moment)


def inspection_context(report: dict[str, Any], *, rulebook: Rulebook | None = None,
                       tickets: dict[tuple[str, str, str], int] | None = None) -> dict[str, Any]:
    """Build the template context of an inspection report from `InspectionResult.as_dict()`.

    Findings are grouped by rule (most frequent first) with their evidence and a Chinese
    severity; times are shown in Beijing time. `tickets` maps (rule id, address, evidence) of
    findings to the open 整改单 already covering them (the admin shows it beside the finding).
    """
    rulebook = rulebook or naming_rulebook()
    findings = report.get("findings", [])
    counts = Counter(f["rule_id"] for f in findings)
    tickets = tickets or {}
    groups = []
    for rule_id, n in counts.most_common():
        rows = []
        for index, f in enumerate(findings):
            if f["rule_id"] != rule_id:
                continue
            key = (f["rule_id"], f["url"][:1000], f["evidence"][:1000])
            rows.append({**f, "index": index, "severity_label": severity_label(f["severity"]),
                         "ticket": tickets.get(key)})
        groups.append({"rule_id": rule_id, "title": rule_title(rule_id, rulebook), "count": n,
                       "findings": rows[:MAX_ROWS_PER_RULE],
                       "more": max(0, n - MAX_ROWS_PER_RULE),
                       "without_ticket": [r["index"] for r in rows if r["ticket"] is None]})
    chart = charts.bar_chart([(rule_title(r, rulebook), float(n)) for r, n in counts.most_common()],
                             unit=" 处", title="问题分布")
    verdict = report.get("verdict", {})
    platform = report.get("platform") or {}
    disagreements = [{**d, "title": rule_title(d["rule_id"], rulebook)}
                     for d in platform.get("disagreements", [])]
    return {"r": report, "groups": groups, "chart": mark_safe(chart),
            "disagreements": disagreements,
            "rulebook_title": rulebook.title,
            "started_at": _local(report.get("started_at")),
            "finished_at": _local(report.get("finished_at")),
            "decided_by": verdict.get("decided_by_title")
            or decided_by_label(verdict.get("decided_by", ""), rulebook),
            "generated_at": timezone.localtime()}


def render_inspection_html(report: dict[str, Any]) -> str:
    """Render the Chinese HTML report of one inspection."""
    return render_to_string("monitoring/inspection_report.html", inspection_context(report))


def html_to_pdf(html: str, target: Path | str) -> None:
    """Write a PDF of the HTML with WeasyPrint (CJK text needs the fonts-noto-cjk package)."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(target))


def html_to_pdf_bytes(html: str) -> bytes:
    """Return a PDF of the HTML (WeasyPrint), for downloads from the admin."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and end (exclusive) of a month in the local time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    days = calendar.monthrange(year, month)[1]
    return start, start + dt.timedelta(days=days)


def site_month(profile: Any, year: int, month: int) -> dict[str, Any]:
    """Facts of one site in one month: uptime by day, inspections, tickets."""
    start, end = month_bounds(year, month)
    probes = list(monitoring_selectors.probes_between(profile, start, end))
    by_day: dict[dt.date, list[str]] = {}
    for probe in probes:
        by_day.setdefault(timezone.localtime(probe.at).date(), []).append(probe.outcome)
    points: list[tuple[str, float | None]] = []
    day = start.date()
    while day < end.date():
        outcomes = [o for o in by_day.get(day, []) if o != "skipped"]
        share = (outcomes.count("failed") / len(outcomes)) if outcomes else None
        points.append((day.strftime("%d"), share))
        day += dt.timedelta(days=1)
    counted = [p for p in probes if p.outcome != "skipped"]
    failures = sum(1 for p in counted if p.outcome == "failed")
    inspections = list(monitoring_selectors.inspections_between(profile, start, end))
    latest = inspections[-1] if inspections else None
    tickets = list(monitoring_selectors.tickets_opened_between(profile, start.date(), end.date()))
    overdue = [t for t in monitoring_selectors.overdue_tickets(min(timezone.localdate(), end.date()))
               if t.site_id == profile.pk]
    titles = _rule_titles()
    counts = latest.counts if latest else {}
    veto_line = float(load_rulebook().rule("site.unavailable").param("veto_share", 0.05))
    return {
        "site": profile, "year": year, "month": month,
        "probes": len(counted), "skipped": len(probes) - len(counted), "failures": failures,
        "failure_share": failures / len(counted) if counted else None,
        "uptime_chart": mark_safe(charts.line_chart(points, threshold=veto_line,
                                                        title="每日探测失败比例")),
        "inspections": inspections, "latest": latest,
        "latest_decided_by": decided_by_label(latest.decided_by, naming_rulebook()) if latest else "",
        "findings_chart": mark_safe(charts.bar_chart(
            [(titles.get(k, k), float(v)) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])],
            unit=" 处", title="最近一次检查的问题分布")),
        "tickets": tickets,
        "tickets_closed": sum(1 for t in tickets if t.status == TicketStatus.CLOSED),
        "overdue": overdue, "titles": titles,
        "interaction": interaction_month(profile, year, month),
    }


def interaction_month(profile: Any, year: int, month: int) -> dict[str, Any]:
    """The site's 互动回应 in one month, from the interaction app's records: messages received
    and answered (on time), and the valid messages unanswered past the veto limit (IA-02)."""
    from govsites.interaction import selectors as interaction_selectors

    received = replied = on_time = 0
    for mailbox in interaction_selectors.open_mailboxes(profile):
        row = interaction_selectors.monthly_statistics(mailbox, year)[month - 1].counts
        received, replied, on_time = (received + row.received, replied + row.replied,
                                      on_time + row.on_time)
    spec = load_rulebook().rule("interaction.unanswered")
    _start, end = month_bounds(year, month)
    as_of = min(timezone.localdate(), end.date() - dt.timedelta(days=1))
    late = interaction_selectors.unanswered_too_long(
        profile, as_of=as_of, max_days=int(spec.param("max_unanswered_days")),
        window_days=int(spec.param("window_days")))
    return {"received": received, "replied": replied, "on_time": on_time, "late": late,
            "max_days": int(spec.param("max_unanswered_days"))}


def render_site_month(profile: Any, year: int, month: int) -> str:
    """Render the monthly report of one site (HTML, Chinese)."""
    context = {"sites": [site_month(profile, year, month)], "year": year, "month": month,
               "cluster": False, "generated_at": timezone.localtime()}
    return render_to_string("monitoring/monthly_report.html", context)


def render_cluster_month(profiles: list[Any], year: int, month: int, *,
                         sample: Any = None) -> str:
    """Render the monthly report of the whole cluster: a summary table, then every site.

    `sample` (a rule_alerts.PeriodSample) adds the period's inspection coverage (IS-13)."""
    sites = [site_month(p, year, month) for p in profiles]
    context = {"sites": sites, "year": year, "month": month, "cluster": True, "sample": sample,
               "generated_at": timezone.localtime(),
               "verdict_chart": mark_safe(charts.bar_chart(
                   sorted(Counter(s["latest"].verdict if s["latest"] else "未检查"
                                  for s in sites).items()), unit=" 个", title="检查结论分布"))}
    return render_to_string("monitoring/monthly_report.html", context)
