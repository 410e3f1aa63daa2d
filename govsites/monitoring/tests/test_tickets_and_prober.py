"""问题销号 tickets (deadlines across holidays, closure only by a passing re-check) and the prober."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from django.test import override_settings
from django.utils import timezone

from govsites.core.models import AuditRecord
from govsites.monitoring import selectors, services
from govsites.monitoring.choices import TicketStatus
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.prober import ProbeResult, probe, probe_url

from .fakes import FakeHttpClient, FakeResponse

pytestmark = pytest.mark.django_db


def _finding(url: str, rule_id: str = "link.broken", severity: str = "serious",
             veto: bool = False, evidence: str = "外部链接不可用（HTTP 404）") -> InspectionFinding:
    return InspectionFinding(rule_id=rule_id, url=url, evidence=evidence, severity=severity,
                             veto=veto, message="问题")


def test_a_ticket_opened_before_the_national_day_holiday_is_due_after_it(portal: Any) -> None:
    # 2025-09-30 (Tue) → 10-01..10-08 are holidays, 10-11 (Sat) is a 调休 workday.
    [ticket] = services.open_tickets(findings=[_finding("http://127.0.0.1:1/x")],
                                     organisation=portal.host_organisation, site=portal,
                                     today=dt.date(2025, 9, 30))
    assert ticket.deadline == dt.date(2025, 10, 11)


def test_a_ticket_opened_on_a_plain_thursday_is_due_the_next_tuesday(portal: Any) -> None:
    [ticket] = services.open_tickets(findings=[_finding("http://127.0.0.1:1/y")],
                                     organisation=portal.host_organisation, site=portal,
                                     today=dt.date(2026, 3, 5))
    assert ticket.deadline == dt.date(2026, 3, 10)


def test_only_veto_and_serious_findings_open_tickets_and_never_twice(portal: Any) -> None:
    findings = [_finding("http://127.0.0.1:1/a"), _finding("http://127.0.0.1:1/b", severity="warning"),
                _finding("http://127.0.0.1:1/c", severity="warning", veto=True)]
    first = services.open_tickets(findings=findings, organisation=portal.host_organisation,
                                  site=portal, today=dt.date(2026, 3, 5))
    again = services.open_tickets(findings=findings, organisation=portal.host_organisation,
                                  site=portal, today=dt.date(2026, 3, 5))
    assert {t.url for t in first} == {"http://127.0.0.1:1/a", "http://127.0.0.1:1/c"}
    assert again == []
    assert AuditRecord.objects.filter(action="monitoring.ticket.open").count() == 1


def test_a_ticket_stays_open_while_the_recheck_fails_and_closes_when_it_passes(portal: Any) -> None:
    url = "http://127.0.0.1:1/gone.pdf"
    [ticket] = services.open_tickets(findings=[_finding(url)], organisation=portal.host_organisation,
                                     site=portal, today=dt.date(2026, 3, 5))
    still_broken = FakeHttpClient({})
    ticket = services.recheck_ticket(ticket=ticket, client=still_broken)
    assert ticket.status == TicketStatus.OPEN
    fixed = FakeHttpClient({url: FakeResponse(200, b"%PDF", "application/pdf")})
    ticket = services.recheck_ticket(ticket=ticket, client=fixed)
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at is not None
    assert [e.kind for e in ticket.events.all()] == ["opened", "recheck_failed", "closed"]
    actions = list(AuditRecord.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["monitoring.ticket.recheck", "monitoring.ticket.close"]


def test_a_content_ticket_is_rechecked_by_rerunning_its_rule_on_the_page(
        portal: Any, fixture_site: dict[str, Any]) -> None:
    from .sitebuilder import AS_OF

    page = fixture_site["base"] + fixture_site["defects"]["content.expression_error"]
    finding = _finding(page, rule_id="content.expression_error", severity="veto", veto=True,
                       evidence="台湾总统")
    from govsites.monitoring.crawler import CrawlConfig
    from govsites.monitoring.inspector import inspect_site

    real = inspect_site(CrawlConfig(start_url=page, max_pages=1, delay=0.0), as_of=AS_OF)
    [seen] = real.findings_for("content.expression_error")
    finding.evidence = seen.evidence
    [ticket] = services.open_tickets(findings=[finding], organisation=portal.host_organisation,
                                     site=portal, today=dt.date(2026, 3, 5))
    ticket = services.recheck_ticket(ticket=ticket, as_of=AS_OF)
    assert ticket.status == TicketStatus.OPEN


def test_overdue_tickets_are_open_ones_past_their_deadline(portal: Any) -> None:
    [late, on_time] = services.open_tickets(
        findings=[_finding("http://127.0.0.1:1/l"), _finding("http://127.0.0.1:1/o")],
        organisation=portal.host_organisation, site=portal, today=dt.date(2026, 3, 5))
    on_time.deadline = dt.date(2026, 3, 20)
    on_time.save(update_fields=["deadline"])
    assert list(selectors.overdue_tickets(dt.date(2026, 3, 11))) == [late]
    assert list(selectors.overdue_tickets(dt.date(2026, 3, 10))) == []


def test_probing_a_domain_outside_the_allowed_networks_is_skipped_not_failed(portal: Any) -> None:
    portal.site.hostname = "www.shili.gov.cn"
    result = probe(probe_url(portal))
    assert result.outcome == "skipped" and "拒绝访问" in result.error


def test_probing_a_site_that_answers_is_ok_and_one_that_errors_fails() -> None:
    ok = httpx.MockTransport(lambda request: httpx.Response(200, text="ok"))
    bad = httpx.MockTransport(lambda request: httpx.Response(503))
    assert probe("http://portal.localhost:8000/", transport=ok).outcome == "ok"
    assert probe("http://portal.localhost:8000/", transport=bad).outcome == "failed"


def test_probe_timeouts_fail_with_the_reason() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    result = probe("http://127.0.0.1:9/", transport=httpx.MockTransport(slow))
    assert result.outcome == "failed" and "超时" in result.error


def test_rolling_share_raises_alerts_at_one_and_three_percent_before_the_veto(portal: Any) -> None:
    now = timezone.now()
    start = now - dt.timedelta(days=6)
    ok = ProbeResult(url="http://localhost/", outcome="ok", status_code=200, elapsed_ms=5)
    failed = ProbeResult(url="http://localhost/", outcome="failed", error="HTTP 503")
    for i in range(97):
        services.record_probe(site=portal, result=ok, at=start + dt.timedelta(minutes=60 * i))
    services.record_probe(site=portal, result=failed, at=now - dt.timedelta(minutes=3))
    assert portal.uptime_alerts.count() == 1 and portal.uptime_alerts.get().level == 0.01
    for minutes in (2, 1):
        services.record_probe(site=portal, result=failed, at=now - dt.timedelta(minutes=minutes))
    share = selectors.uptime_share(portal, now=now)
    assert share.probes == 100 and share.failures == 3
    assert sorted(a.level for a in portal.uptime_alerts.all()) == [0.01, 0.03]
    assert not portal.uptime_alerts.filter(veto=True).exists()


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_the_probe_task_records_every_online_site(portal: Any) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    outcomes = services.probe_all_sites(transport=transport)
    assert outcomes == ["ok"]
    assert portal.uptime_probes.count() == 1


def test_the_prober_is_registered_with_the_worker_at_least_twenty_times_a_day() -> None:
    from govsites.core import periodic

    job = next(j for j in periodic.jobs() if j.name == "monitoring.uptime_probe")
    assert dt.timedelta(days=1) / job.interval() >= 20
