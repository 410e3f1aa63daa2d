"""政务新媒体 alerts become monitoring 整改单 and are closed by a passing re-check (问题销号)."""

from __future__ import annotations

import datetime as dt

import pytest

from govsites.monitoring.choices import TicketStatus
from govsites.monitoring.models import Ticket
from govsites.monitoring.services import recheck_ticket
from govsites.operations import newmedia
from govsites.operations.newmedia import FakeFeedReader

from .test_new_media import NOW, account, rss

pytestmark = pytest.mark.django_db


def test_a_stale_account_opens_one_ticket_that_closes_when_the_account_updates(portal):
    media = account(portal, feed_url="https://mp.example.cn/feed.xml")
    stale = FakeFeedReader({media.feed_url: rss(15, 20)})
    alert = newmedia.check_account(media, reader=stale, now=NOW).alert
    assert alert is not None and alert.ticket is not None
    ticket = Ticket.objects.get()
    assert (ticket.pk, ticket.rule_id, ticket.status) == (alert.ticket.pk, "new_media.stale",
                                                          TicketStatus.OPEN)
    assert (ticket.organisation, ticket.site, ticket.url) == (portal.host_organisation, portal,
                                                              media.feed_url)
    assert "已15天未更新" in ticket.message and ticket.deadline > ticket.opened_on
    newmedia.check_account(media, reader=stale, now=NOW + dt.timedelta(days=1))
    assert Ticket.objects.count() == 1
    assert recheck_ticket(ticket=ticket).status == TicketStatus.OPEN  # still not updated
    newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: rss(0)}),
                           now=NOW + dt.timedelta(days=2))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at is not None
    assert [e.kind for e in ticket.events.order_by("pk")] == ["opened", "recheck_failed",
                                                              "closed"]


def test_an_account_without_a_feed_is_ticketed_at_its_registry_entry(portal):
    media = account(portal, name="示例抖音", platform="douyin")
    newmedia.check_account(media, reader=FakeFeedReader(), now=NOW)
    ticket = Ticket.objects.get()
    assert ticket.url.endswith(f"/admin/operations/new-media/#account-{media.pk}")
    assert ticket.evidence == f"政务新媒体账号 #{media.pk}：{media}"
