"""Writes of monitoring: record inspections, open and re-check tickets (问题销号), record probes.

Each service runs in one transaction and writes one audit record. Probes are measurements, not
state changes, so `record_probe` writes none; crossing an alert line is a state change and is
audited (`monitoring.uptime.alert`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govsites.core import audit as core_audit
from govsites.core.calendar import add_working_days

from . import audit, netguard, prober
from . import selectors as monitoring_selectors
from .choices import InspectionStatus, ProbeOutcome, TicketEventKind, TicketStatus
from .crawler import CrawlConfig, CrawlStats
from .findings import InspectionFinding
from .http11 import Http11Client
from .httpclient import HttpClient
from .inspector import InspectionResult, Inspector, crawl_config
from .models import Inspection, Ticket, TicketEvent, UptimeAlert, UptimeProbe
from .platform import apply_platform_mode
from .platform_rules import platform_rule_ids
from .rulebook import Rulebook, load_rulebook

logger = logging.getLogger(__name__)

EVIDENCE_MATCHED_RULES = frozenset({
    "content.sensitive", "content.expression_error", "content.privacy", "content.spam_injection",
    "link.commercial",
})
RECHECK_PAGE_BUDGET = {"interpretation.unlinked": 30, "column.stale": 30, "column.empty": 30,
                       "home.stale": 30}
FLAGGED_RULE = "content.flagged"  # a sensitive-content notice of a 监管员 (RS-16)
MAX_STORED_FINDINGS = 2000
MAX_PAGE_BUDGET = 20000
PROGRESS_WRITE_SECONDS = 1.0
#: Re-checks of tickets whose rule is not a crawl check, by rule id (another app's own rule,
#: e.g. open data's `dataset.stale`): ticket → (passed, explanation). Filled at startup.
RECHECKS: dict[str, Callable[[Ticket], tuple[bool, str]]] = {}


def _fill_from_result(inspection: Inspection, result: InspectionResult) -> dict[str, int]:
    """Copy an inspection result onto its record (the stored report is capped); return counts."""
    report = result.as_dict()
    report["findings"] = report["findings"][:MAX_STORED_FINDINGS]
    report["not_checked"] = report["not_checked"][:200]
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    inspection.target = result.target
    inspection.status = InspectionStatus.DONE
    inspection.started_at = result.started_at
    inspection.finished_at = result.finished_at
    inspection.as_of = result.as_of
    inspection.pages_crawled = result.pages_crawled
    inspection.links_checked = result.links_checked
    inspection.queued_links = 0
    inspection.verdict = result.verdict.label
    inspection.decided_by = result.verdict.decided_by
    inspection.decided_because = result.verdict.decided_because[:500]
    inspection.score = result.verdict.score
    inspection.rulebook = result.rulebook_name
    inspection.counts = counts
    inspection.report = report
    return counts


@transaction.atomic
def record_inspection(*, result: InspectionResult, site: Any = None,
                      acting_user: Any = None) -> Inspection:
    """Store an inspection's verdict and findings summary (the full report is capped)."""
    inspection = Inspection(site=site)
    counts = _fill_from_result(inspection, result)
    inspection.full_clean()
    inspection.save()
    core_audit.record(action=audit.INSPECTION_RECORD, actor=acting_user, obj=inspection,
                      organisation=getattr(site, "host_organisation", None),
                      details={"verdict": inspection.verdict, "decided_by": inspection.decided_by,
                               "counts": counts})
    return inspection


# --- 立即检查: an inspection started from the admin and run as a task ---------------------------
@transaction.atomic
def request_inspection(*, site: Any, acting_user: Any, max_pages: int = 500,
                       include_traditional: bool = False) -> Inspection:
    """Queue an inspection of a registered site; `tasks.run_inspection` runs it after commit.

    The caller checks `policies.can_start_inspection` first. The page budget must lie within
    1..MAX_PAGE_BUDGET (ValidationError otherwise, nothing stored).
    """
    from . import tasks

    if not 1 <= max_pages <= MAX_PAGE_BUDGET:
        raise ValidationError({"max_pages": f"页面预算应在 1 至 {MAX_PAGE_BUDGET} 之间。"})
    inspection = Inspection(site=site, target=prober.probe_url(site),
                            status=InspectionStatus.QUEUED, requested_at=timezone.now(),
                            requested_by=acting_user, max_pages=max_pages,
                            include_traditional=include_traditional)
    inspection.full_clean()
    inspection.save()
    core_audit.record(action=audit.INSPECTION_REQUEST, actor=acting_user, obj=inspection,
                      organisation=site.host_organisation,
                      details={"target": inspection.target, "max_pages": max_pages,
                               "include_traditional": include_traditional})
    inspection_id = inspection.pk
    transaction.on_commit(lambda: tasks.run_inspection.enqueue(inspection_id=inspection_id))
    return inspection


class _Progress:
    """The crawl's latest figures, handed from the crawling thread to the one writing them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.figures: tuple[int, int, int] | None = None

    def update(self, stats: CrawlStats, queued: int) -> None:
        with self.lock:
            self.figures = (stats.pages, stats.checks, queued)

    def take(self) -> tuple[int, int, int] | None:
        with self.lock:
            figures, self.figures = self.figures, None
            return figures


def _crawl_with_progress(inspector: Inspector, inspection_id: int,
                         progress: _Progress) -> InspectionResult:
    """Run the crawl in a thread of its own; meanwhile write its progress onto the Inspection."""
    outcome: dict[str, Any] = {}

    def crawl() -> None:
        try:
            outcome["result"] = asyncio.run(inspector.run())
        except BaseException as exc:  # handed to the calling thread below
            outcome["error"] = exc

    thread = threading.Thread(target=crawl, name=f"inspection-{inspection_id}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(PROGRESS_WRITE_SECONDS)
        figures = progress.take()
        if figures is not None:  # a measurement, not a change of state: not audited
            Inspection.objects.filter(pk=inspection_id).update(
                pages_crawled=figures[0], links_checked=figures[1], queued_links=figures[2],
                progress_at=timezone.now())
    if "error" in outcome:
        raise outcome["error"]
    result: InspectionResult = outcome["result"]
    return result


def stall_seconds() -> float:
    """How long a running inspection may go without writing progress before it counts as dead."""
    return float(getattr(settings, "GOVSITES_INSPECTION_STALL_SECONDS", 600))


def _stalled(now: dt.datetime) -> Q:
    """A running inspection whose crawl stopped writing progress: its worker died."""
    limit = now - dt.timedelta(seconds=stall_seconds())
    return Q(status=InspectionStatus.RUNNING) & (
        Q(progress_at__lt=limit) | Q(progress_at__isnull=True, started_at__lt=limit))


def _claim(inspection_id: int) -> Inspection | None:
    """Mark a queued inspection as running (once: a second worker finds nothing to do).

    A running one whose progress stopped (its worker died and the task queue handed the task to
    another worker) is claimed again and starts over.
    """
    with transaction.atomic():
        inspection = (Inspection.objects.select_for_update(of=("self",)).select_related("site")
                      .filter(Q(status=InspectionStatus.QUEUED) | _stalled(timezone.now()),
                              pk=inspection_id).first())
        if inspection is None:
            return None
        inspection.status = InspectionStatus.RUNNING
        inspection.started_at = timezone.now()
        inspection.progress_at = inspection.started_at
        inspection.save(update_fields=["status", "started_at", "progress_at"])
        return inspection


def run_requested_inspection(*, inspection_id: int, client: HttpClient | None = None,
                             as_of: dt.date | None = None) -> Inspection:
    """Run a queued inspection with progress, then store its result or why it did not finish.

    Called by the task (`tasks.run_inspection`). A site of the platform is judged in platform
    mode (freshness from the database, the uptime share from the prober), as `inspect` does.
    """
    inspection = _claim(inspection_id)
    if inspection is None:
        return Inspection.objects.get(pk=inspection_id)
    rulebook = load_rulebook(site=inspection.site)
    progress = _Progress()
    try:
        config = crawl_config(inspection.target, max_pages=inspection.max_pages,
                              include_traditional=inspection.include_traditional)
        inspector = Inspector(config, rulebook=rulebook, as_of=as_of, client=client,
                              on_progress=progress.update)
        result = _crawl_with_progress(inspector, inspection.pk, progress)
        if inspection.site is not None:
            window = int(rulebook.rule("site.unavailable").param("window_days", 7))
            share = monitoring_selectors.uptime_share(inspection.site, window_days=window).share
            result = apply_platform_mode(result, inspection.site, rulebook=rulebook,
                                         uptime_share=share)
    except netguard.TargetNotAllowed as exc:
        return _fail_inspection(inspection, f"无法检查：{exc}")
    except Exception as exc:  # the record must say it stopped, whatever stopped it
        logger.exception("inspection %s failed", inspection.pk)
        return _fail_inspection(inspection, f"检查出错：{type(exc).__name__}: {exc}")
    return _complete_inspection(inspection, result)


@transaction.atomic
def _complete_inspection(inspection: Inspection, result: InspectionResult) -> Inspection:
    counts = _fill_from_result(inspection, result)
    inspection.progress_at = timezone.now()
    inspection.full_clean()
    inspection.save()
    core_audit.record(action=audit.INSPECTION_RECORD, actor=inspection.requested_by,
                      obj=inspection, organisation=getattr(inspection.site, "host_organisation", None),
                      details={"verdict": inspection.verdict, "decided_by": inspection.decided_by,
                               "counts": counts})
    return inspection


@transaction.atomic
def _fail_inspection(inspection: Inspection, reason: str) -> Inspection:
    inspection.status = InspectionStatus.FAILED
    inspection.error = reason[:500]
    inspection.finished_at = timezone.now()
    inspection.save(update_fields=["status", "error", "finished_at"])
    core_audit.record(action=audit.INSPECTION_FAIL, actor=inspection.requested_by,
                      obj=inspection, organisation=getattr(inspection.site, "host_organisation", None),
                      details={"reason": inspection.error})
    return inspection


def fail_stalled_inspections(*, now: dt.datetime | None = None) -> list[int]:
    """Mark failed, with the reason, each running inspection whose worker stopped (检查中 forever).

    The crawl writes its progress every second; an inspection that wrote none for
    `GOVSITES_INSPECTION_STALL_SECONDS` (600) lost its worker. Each is failed once (audited
    `monitoring.inspection.fail`); a second reaper finds it failed already. Returns their ids.
    """
    now = now or timezone.now()
    minutes = round(stall_seconds() / 60)
    failed: list[int] = []
    for pk in Inspection.objects.filter(_stalled(now)).values_list("pk", flat=True):
        with transaction.atomic():
            inspection = (Inspection.objects.select_for_update(of=("self",))
                          .select_related("site").filter(_stalled(now), pk=pk).first())
            if inspection is None:
                continue
            _fail_inspection(inspection, f"检查进程已中断：超过 {minutes} 分钟没有进度（处理进程可能已退出），"
                                         "请重新发起检查")
            failed.append(pk)
    return failed


def ticket_worthy(findings: Iterable[InspectionFinding], rulebook: Rulebook) -> list[InspectionFinding]:
    """The findings that open tickets: veto-level or of a severity the rule data names."""
    return [f for f in findings if f.veto or f.severity in rulebook.ticket_severities]


def _open(*, findings: Iterable[InspectionFinding], organisation: Any, site: Any,
          inspection: Inspection | None, acting_user: Any, today: dt.date,
          deadline: dt.date) -> list[Ticket]:
    created: list[Ticket] = []
    now = timezone.now()
    for finding in findings:
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
                                   "rules": sorted({t.rule_id for t in created}),
                                   "inspection": inspection.pk if inspection else None})
    return created


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
    return _open(findings=ticket_worthy(findings, rulebook), organisation=organisation,
                 site=site, inspection=inspection, acting_user=acting_user, today=today,
                 deadline=deadline)


def stored_findings(inspection: Inspection) -> list[InspectionFinding]:
    """The findings kept in an inspection's stored report, in report order."""
    names = set(InspectionFinding.__dataclass_fields__)
    return [InspectionFinding(**{k: v for k, v in row.items() if k in names})
            for row in inspection.report.get("findings", [])]


@transaction.atomic
def open_tickets_from_findings(*, inspection: Inspection, finding_indexes: Iterable[int],
                               acting_user: Any, today: dt.date | None = None) -> list[Ticket]:
    """Open 整改单 for chosen findings of a stored inspection (one click in the admin).

    Any severity may be chosen. A finding already covered by an open ticket of the same site
    (rule, address and evidence) opens none; the caller checks `policies.can_open_tickets`.
    Raises ValueError for an index the report does not hold.
    """
    if inspection.site is None:
        raise ValueError("该检查不属于平台登记的网站，无法开具整改单")
    findings = stored_findings(inspection)
    chosen: list[InspectionFinding] = []
    for index in sorted(set(finding_indexes)):
        if not 0 <= index < len(findings):
            raise ValueError(f"检查报告中没有第 {index + 1} 个问题")
        chosen.append(findings[index])
    today = today or timezone.localdate()
    rulebook = load_rulebook(site=inspection.site)
    deadline = add_working_days(today, rulebook.ticket_deadline_working_days)
    return _open(findings=chosen, organisation=inspection.site.host_organisation,
                 site=inspection.site, inspection=inspection, acting_user=acting_user,
                 today=today, deadline=deadline)


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
    if ticket.rule_id in RECHECKS:
        return RECHECKS[ticket.rule_id](ticket)
    if ticket.rule_id in platform_rule_ids():
        from .rule_alerts import platform_recheck

        return platform_recheck(ticket, as_of)
    rulebook = rulebook or load_rulebook()
    netguard.check_target(ticket.url)
    if ticket.rule_id == "site.unavailable":
        outcome = prober.probe(ticket.url)
        return outcome.outcome == ProbeOutcome.OK, outcome.error or "首页可以访问"
    if ticket.rule_id in ("link.broken", FLAGGED_RULE):  # a page, or the page to remove
        async def fetch() -> Any:
            own = client or Http11Client(max_connections=2)
            try:
                return await own.fetch(ticket.url, method="GET", timeout=15)
            finally:
                if client is None:
                    await own.aclose()

        answer = asyncio.run(fetch())
        if ticket.rule_id == FLAGGED_RULE:
            if answer.status in (404, 410):
                return True, f"页面已删除（HTTP {answer.status}）"
            return False, answer.error or f"页面仍可访问（HTTP {answer.status}），敏感信息未删除"
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


@transaction.atomic
def acknowledge_alert(*, alert: UptimeAlert, note: str, acting_user: Any) -> UptimeAlert:
    """Record that someone has taken up an uptime alert (确认), with what they did about it.

    The alert's own figures stay as raised; an alert is acknowledged once (ValueError after).
    """
    alert = UptimeAlert.objects.select_for_update(of=("self",)).select_related("site").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValueError("该告警已确认，无需再次确认")
    note = note.strip()
    if not note:
        raise ValidationError({"acknowledgement": "请填写处理说明。"})
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = acting_user
    alert.acknowledgement = note[:500]
    alert.full_clean()
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    core_audit.record(action=audit.UPTIME_ALERT_ACKNOWLEDGE, actor=acting_user, obj=alert,
                      organisation=alert.site.host_organisation,
                      details={"level": alert.level, "share": round(alert.share, 4),
                               "note": alert.acknowledgement})
    return alert


# The services of the rules judged from the platform's records live in rule_alerts.
from .rule_alerts import (  # noqa: E402, F401 - re-exported
    fetch_upstream_feeds,
    flag_sensitive_content,
    follow_sensitive_flags,
    issue_bulletin,
    raise_all_platform_alerts,
    raise_overdue_reposts,
    raise_platform_alerts,
    request_scheduled_inspections,
)
