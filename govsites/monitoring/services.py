"""Writes of monitoring: record inspections, open and re-check tickets (问题销号), record probes.

Each service runs in one transaction and writes one audit record. Probes are measurements, not
state changes, so `record_probe` writes none; crossing an alert line is a state change and is
audited (`monitoring.uptime.alert`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from govsites.core import audit as core_audit
from govsites.core.calendar import add_working_days

from . import audit, netguard, prober
from . import selectors as monitoring_selectors
from .choices import ProbeOutcome, TicketEventKind, TicketStatus
from .crawler import CrawlConfig
from .findings import InspectionFinding
from .http11 import Http11Client
from .httpclient import HttpClient
from .inspector import InspectionResult, Inspector
from .models import Inspection, Ticket, TicketEvent, UptimeAlert, UptimeProbe
from .rulebook import Rulebook, load_rulebook

EVIDENCE_MATCHED_RULES = frozenset({
    "content.sensitive", "content.expression_error", "content.privacy", "content.spam_injection",
    "link.commercial",
})
RECHECK_PAGE_BUDGET = {"interpretation.unlinked": 30, "column.stale": 30, "column.empty": 30,
                       "home.stale": 30}
MAX_STORED_FINDINGS = 2000


@transaction.atomic
def record_inspection(*, result: InspectionResult, site: Any = None,
                      acting_user: Any = None) -> Inspection:
    """Store an inspection's verdict and findings summary (the full report is capped)."""
    report = result.as_dict()
    report["findings"] = report["findings"][:MAX_STORED_FINDINGS]
    report["not_checked"] = report["not_checked"][:200]
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    inspection = Inspection(
        site=site, target=result.target, started_at=result.started_at,
        finished_at=result.finished_at, as_of=result.as_of, pages_crawled=result.pages_crawled,
        links_checked=result.links_checked, verdict=result.verdict.label,
        decided_by=result.verdict.decided_by, decided_because=result.verdict.decided_because[:500],
        score=result.verdict.score, rulebook=result.rulebook_name, counts=counts, report=report,
    )
    inspection.full_clean()
    inspection.save()
    core_audit.record(action=audit.INSPECTION_RECORD, actor=acting_user, obj=inspection,
                      organisation=getattr(site, "host_organisation", None),
                      details={"verdict": inspection.verdict, "decided_by": inspection.decided_by,
                               "counts": counts})
    return inspection


def ticket_worthy(findings: Iterable[InspectionFinding], rulebook: Rulebook) -> list[InspectionFinding]:
    """The findings that open tickets: veto-level or of a severity the rule data names."""
    return [f for f in findings if f.veto or f.severity in rulebook.ticket_severities]


@transaction.atomic
def open_tickets(*, findings: Iterable[InspectionFinding], organisation: Any, site: Any = None,
                 inspection: Inspection | None = None, acting_user: Any = None,
                 rulebook: Rulebook | None = None, today: dt.date | None = None) -> list[Ticket]:
    """Open one ticket per new serious or veto finding, due in N working days (rule data, default 3).

    A finding already covered by an open ticket of the same site opens no second one. Raises
    core.calendar.CalendarDataMissing when the holiday arrangement of the year is unknown.
    """
    rulebook = rulebook or load_rulebook()
    today = today or timezone.localdate()
    deadline = add_working_days(today, rulebook.ticket_deadline_working_days)
    created: list[Ticket] = []
    now = timezone.now()
    for finding in ticket_worthy(findings, rulebook):
        evidence = finding.evidence[:1000]
        if monitoring_selectors.open_ticket_for(site=site, rule_id=finding.rule_id,
                                                url=finding.url[:1000], evidence=evidence):
            continue
        ticket = Ticket(organisation=organisation, site=site, inspection=inspection,
                        rule_id=finding.rule_id, url=finding.url[:1000], page=finding.page[:1000],
                        evidence=evidence, message=finding.message[:500],
                        severity=finding.severity, veto=finding.veto, opened_on=today,
                        deadline=deadline)
        ticket.full_clean()
        ticket.save()
        TicketEvent.objects.create(ticket=ticket, at=now, kind=TicketEventKind.OPENED,
                                   actor=acting_user, note=f"整改期限 {deadline.isoformat()}")
        created.append(ticket)
    if created:
        core_audit.record(action=audit.TICKET_OPEN, actor=acting_user, obj=created[0],
                          organisation=organisation,
                          details={"tickets": [t.pk for t in created],
                                   "deadline": deadline.isoformat(),
                                   "rules": sorted({t.rule_id for t in created})})
    return created


def _finding_persists(ticket: Ticket, findings: Iterable[InspectionFinding]) -> bool:
    for finding in findings:
        if finding.rule_id != ticket.rule_id or ticket.url not in (finding.url, finding.page):
            continue
        if ticket.rule_id in EVIDENCE_MATCHED_RULES and finding.evidence != ticket.evidence:
            continue
        return True
    return False


def _site_root(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def run_recheck(ticket: Ticket, *, client: HttpClient | None = None,
                as_of: dt.date | None = None, rulebook: Rulebook | None = None) -> tuple[bool, str]:
    """Re-run the ticket's rule on its URL; return (passed, explanation). Contacts the site."""
    rulebook = rulebook or load_rulebook()
    netguard.check_target(ticket.url)
    if ticket.rule_id == "site.unavailable":
        outcome = prober.probe(ticket.url)
        return outcome.outcome == ProbeOutcome.OK, outcome.error or "首页可以访问"
    if ticket.rule_id == "link.broken":
        async def fetch() -> Any:
            own = client or Http11Client(max_connections=2)
            try:
                return await own.fetch(ticket.url, method="GET", timeout=15)
            finally:
                if client is None:
                    await own.aclose()

        answer = asyncio.run(fetch())
        if answer.ok:
            return True, f"链接已可访问（HTTP {answer.status}）"
        return False, answer.error or f"链接仍不可用（HTTP {answer.status}）"
    config = CrawlConfig(start_url=ticket.url, max_pages=RECHECK_PAGE_BUDGET.get(ticket.rule_id, 1),
                         follow_sitemap=False, check_external=False, delay=0.2)
    inspector = Inspector(config, rulebook=rulebook, as_of=as_of, client=client,
                          home_url=_site_root(ticket.url))
    result = asyncio.run(inspector.run())
    if result.findings_for("site.unavailable"):
        return False, "页面无法访问，复查未通过"
    if _finding_persists(ticket, result.findings):
        return False, "问题仍然存在"
    return True, "复查未发现该问题"


def recheck_ticket(*, ticket: Ticket, acting_user: Any = None, client: HttpClient | None = None,
                   as_of: dt.date | None = None) -> Ticket:
    """Re-check a ticket's finding; close the ticket only when the re-check passes."""
    if ticket.status != TicketStatus.OPEN:
        raise ValueError("只有待整改的整改单可以复查")
    passed, note = run_recheck(ticket, client=client, as_of=as_of)
    return _apply_recheck(ticket=ticket, passed=passed, note=note, acting_user=acting_user)


@transaction.atomic
def _apply_recheck(*, ticket: Ticket, passed: bool, note: str, acting_user: Any) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = timezone.now()
    ticket.last_checked_at = now
    fields = ["last_checked_at"]
    if passed:
        ticket.status = TicketStatus.CLOSED
        ticket.closed_at = now
        fields += ["status", "closed_at"]
    ticket.save(update_fields=fields)
    TicketEvent.objects.create(
        ticket=ticket, at=now, actor=acting_user, note=note[:500],
        kind=TicketEventKind.CLOSED if passed else TicketEventKind.RECHECK_FAILED)
    core_audit.record(action=audit.TICKET_CLOSE if passed else audit.TICKET_RECHECK,
                      actor=acting_user, obj=ticket, organisation=ticket.organisation,
                      details={"rule_id": ticket.rule_id, "url": ticket.url, "note": note})
    return ticket


def record_probe(*, site: Any, result: prober.ProbeResult, at: dt.datetime | None = None,
                 rulebook: Rulebook | None = None) -> UptimeProbe:
    """Store one probe and raise an alert when the rolling share crosses a new alert line."""
    rulebook = rulebook or load_rulebook()
    at = at or timezone.now()
    with transaction.atomic():
        row = UptimeProbe.objects.create(site=site, at=at, url=result.url,
                                         outcome=result.outcome, status_code=result.status_code,
                                         elapsed_ms=result.elapsed_ms, error=result.error)
    _maybe_alert(site=site, at=at, rulebook=rulebook)
    return row


@transaction.atomic
def _maybe_alert(*, site: Any, at: dt.datetime, rulebook: Rulebook) -> UptimeAlert | None:
    spec = rulebook.rule("site.unavailable")
    window = int(spec.param("window_days", 7))
    veto_line = float(spec.param("veto_share", 0.05))
    lines = sorted({*map(float, spec.param("alert_shares", [])), veto_line})
    share = monitoring_selectors.uptime_share(site, window_days=window, now=at).share
    if share is None:
        return None
    crossed = [line for line in lines if share >= line]
    if not crossed:
        return None
    level = max(crossed)
    if monitoring_selectors.last_alert_level(site, since=at - dt.timedelta(days=window)) >= level:
        return None
    alert = UptimeAlert.objects.create(site=site, at=at, level=level, share=share,
                                       veto=level >= veto_line)
    core_audit.record(action=audit.UPTIME_ALERT, obj=alert,
                      organisation=getattr(site, "host_organisation", None),
                      details={"share": round(share, 4), "level": level,
                               "veto": alert.veto, "window_days": window})
    return alert


def probe_all_sites(*, transport: Any = None) -> list[str]:
    """Probe every online site once (15 s timeout); return the outcomes."""
    rulebook = load_rulebook()
    timeout = float(rulebook.rule("site.unavailable").param("timeout_seconds", 15))
    outcomes = []
    for profile in monitoring_selectors.online_sites():
        result = prober.probe(prober.probe_url(profile), timeout=timeout, transport=transport)
        record_probe(site=profile, result=result, rulebook=rulebook)
        outcomes.append(result.outcome)
    return outcomes
