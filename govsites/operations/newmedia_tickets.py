"""政务新媒体 alerts as monitoring 整改单 (问题销号), through monitoring's services.

An alert (`newmedia._judge`) opens one ticket of the rule `new_media.stale` for the account's
主办单位, due in the ordinary ticket deadline (`tickets.deadline_working_days`, working days), so
a 僵尸号 is followed up like an inspection's finding. The ticket closes only by a passing
re-check: `recheck` (registered in monitoring's RECHECKS) passes once the account has no open
alert (it updated again, or was closed); the daily check re-checks it as soon as its alert
closes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from govsites.monitoring import selectors as monitoring_selectors
from govsites.monitoring import services as monitoring_services
from govsites.monitoring.findings import InspectionFinding

TICKET_RULE = "new_media.stale"
SEVERITY = "serious"


def account_url(account: Any) -> str:
    """Where the problem is: the account's feed or page, else its entry in the registry."""
    if account.feed_url:
        return str(account.feed_url)
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost").rstrip("/")
    return f"{base}/admin/operations/new-media/#account-{account.pk}"


def _site_of(organisation: Any) -> Any:
    from govsites.sites.selectors import all_sites

    return all_sites().filter(host_organisation=organisation).order_by("pk").first()


def finding_for(alert: Any) -> InspectionFinding:
    account = alert.account
    return InspectionFinding(
        rule_id=TICKET_RULE, url=account_url(account),
        evidence=f"政务新媒体账号 #{account.pk}：{account}", severity=SEVERITY, veto=False,
        message=f"政务新媒体“{account}”{alert.message}（{alert.rule_id}）"[:500],
        source="database")


def open_ticket_for_alert(alert: Any, *, today: dt.date) -> Any:
    """Open (or find the open) 整改单 of an alert's account; returns the ticket."""
    finding = finding_for(alert)
    organisation = alert.account.organisation
    site = _site_of(organisation)
    opened = monitoring_services.open_tickets(findings=[finding], organisation=organisation,
                                              site=site, acting_user=None, today=today)
    if opened:
        return opened[0]
    return monitoring_selectors.open_ticket_for(site=site, rule_id=TICKET_RULE,
                                                url=finding.url[:1000],
                                                evidence=finding.evidence[:1000])


def close_ticket_of(alert: Any) -> None:
    """Re-check the ticket of a closed alert, which passes and closes it (问题销号)."""
    from govsites.monitoring.choices import TicketStatus

    ticket = alert.ticket
    if ticket is not None and ticket.status == TicketStatus.OPEN:
        monitoring_services.recheck_ticket(ticket=ticket, acting_user=None)


def recheck(ticket: Any) -> tuple[bool, str]:
    """Re-check a new_media.stale ticket from the registry: passed once the account is fresh."""
    from .models import AccountStatus, NewMediaAlert

    alert = (NewMediaAlert.objects.filter(ticket=ticket).select_related("account")
             .order_by("-opened_at").first())
    if alert is None:
        return False, "找不到该整改单对应的新媒体告警"
    account = alert.account
    if account.status == AccountStatus.CLOSED:
        return True, "账号已关停"
    still_open = account.alerts.filter(closed_at__isnull=True,
                                       rule_id__in=("NM-01", "NM-02")).first()
    if still_open is not None:
        return False, f"账号仍未恢复更新：{still_open.message}"
    return True, "账号已恢复更新，告警已解除"
