"""复查 in the admin: a ticket closes only when its re-check passes, and the page says which."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse

from govsites.accounts import totp
from govsites.monitoring import services
from govsites.monitoring.choices import TicketStatus
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.models import Ticket

pytestmark = pytest.mark.django_db
PASSWORD = "Zhengwu#2026!Strong"


def _client(portal: Any, username: str, *codenames: str) -> Client:
    from govsites.accounts.services import create_user

    user = create_user(username=username, password=PASSWORD, real_name="网站管理员",
                       mobile="13900000001", organisation=portal.host_organisation,
                       acting_user=None)
    for codename in ("wagtailadmin.access_admin", *codenames):
        app_label, name = codename.split(".")
        user.user_permissions.add(Permission.objects.get(codename=name,
                                                         content_type__app_label=app_label))
    client = Client()
    client.force_login(user)
    session = client.session
    session[totp.SESSION_VERIFIED_KEY] = True
    session.save()
    return client


def _ticket(portal: Any, url: str) -> Ticket:
    finding = InspectionFinding(rule_id="link.broken", url=url, evidence="附件不可用（HTTP 404）",
                                severity="serious", veto=False, message="附件不可用")
    [ticket] = services.open_tickets(findings=[finding], organisation=portal.host_organisation,
                                     site=portal, today=dt.date(2026, 3, 5))
    return ticket


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_a_passing_recheck_closes_the_ticket_and_says_so(portal: Any,
                                                          fixture_site: dict[str, Any]) -> None:
    ticket = _ticket(portal, fixture_site["base"] + "/site-map.html")  # answers 200 now
    client = _client(portal, "checker", "monitoring.view_ticket", "monitoring.recheck_ticket")
    url = reverse("monitoring_ticket_recheck", args=[ticket.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "只有复查通过，整改单才会销号" in confirm.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN  # looking at the form re-checks nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("monitoring_tickets:inspect", args=[ticket.pk])
    [message] = _messages(response)
    assert message.startswith(f"复查通过，整改单 #{ticket.pk} 已销号") and "HTTP 200" in message
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.events.last().actor.username == "checker"


@override_settings(GOVSITES_OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_a_failing_recheck_leaves_the_ticket_open_and_says_why(portal: Any,
                                                               fixture_site: dict[str, Any]) -> None:
    ticket = _ticket(portal, fixture_site["base"] + "/files/gone.pdf")  # still 404
    client = _client(portal, "checker", "monitoring.view_ticket", "monitoring.recheck_ticket")
    response = client.post(reverse("monitoring_ticket_recheck", args=[ticket.pk]))
    [message] = _messages(response)
    assert message == f"复查未通过，整改单 #{ticket.pk} 仍待整改：链接仍不可用（HTTP 404）"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN and ticket.last_checked_at is not None
    again = client.get(reverse("monitoring_tickets:inspect", args=[ticket.pk]))
    assert reverse("monitoring_ticket_recheck", args=[ticket.pk]) in again.content.decode()


def test_a_target_outside_the_allowed_networks_is_refused_in_chinese(portal: Any) -> None:
    ticket = _ticket(portal, "http://93.184.216.34/gone.pdf")
    client = _client(portal, "checker", "monitoring.view_ticket", "monitoring.recheck_ticket")
    response = client.post(reverse("monitoring_ticket_recheck", args=[ticket.pk]))
    [message] = _messages(response)
    assert message.startswith("无法复查：") and "不在允许访问的网络范围" in message
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN


def test_a_closed_ticket_offers_no_recheck(portal: Any) -> None:
    ticket = _ticket(portal, "http://127.0.0.1:9/gone.pdf")
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CLOSED)
    client = _client(portal, "checker", "monitoring.view_ticket", "monitoring.recheck_ticket")
    recheck = reverse("monitoring_ticket_recheck", args=[ticket.pk])
    assert recheck not in client.get(reverse("monitoring_tickets:inspect",
                                             args=[ticket.pk])).content.decode()
    response = client.post(recheck)
    assert _messages(response) == [f"整改单 #{ticket.pk} 已销号，无需复查。"]


def test_without_the_change_permission_there_is_no_button_and_no_recheck(portal: Any) -> None:
    ticket = _ticket(portal, "http://127.0.0.1:9/gone.pdf")
    client = _client(portal, "viewer", "monitoring.view_ticket")
    recheck = reverse("monitoring_ticket_recheck", args=[ticket.pk])
    listing = client.get(reverse("monitoring_tickets:index"))
    assert listing.status_code == 200 and recheck not in listing.content.decode()
    assert client.post(recheck).status_code == 404
    ticket.refresh_from_db()
    assert ticket.last_checked_at is None


def test_the_listing_offers_recheck_on_open_tickets(portal: Any) -> None:
    ticket = _ticket(portal, "http://127.0.0.1:9/gone.pdf")
    client = _client(portal, "checker", "monitoring.view_ticket", "monitoring.recheck_ticket")
    listing = client.get(reverse("monitoring_tickets:index"))
    assert reverse("monitoring_ticket_recheck", args=[ticket.pk]) in listing.content.decode()
