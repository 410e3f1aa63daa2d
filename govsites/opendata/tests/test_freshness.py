"""更新及时性: a dataset past its update period is listed and gets a ticket; a new release
closes the ticket on re-check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govsites.monitoring import services as monitoring_services
from govsites.monitoring.choices import TicketStatus
from govsites.opendata import freshness
from govsites.opendata.models import DatasetPage, ResourceVersion

from .conftest import GDP_CSV


def _age(dataset: Any, days: int) -> None:
    when = timezone.now() - dt.timedelta(days=days)
    ResourceVersion.objects.filter(dataset=dataset).update(released_at=when)


def test_a_monthly_dataset_not_updated_for_32_days_is_listed(released: Any) -> None:
    released.update_frequency = "每月"
    released.save_revision().publish()
    _age(released, 31)
    assert freshness.stale_datasets() == []
    _age(released, 32)
    stale = freshness.stale_datasets()
    assert [s.dataset.pk for s in stale] == [released.pk]
    assert "每月" in stale[0].message and "已超期未更新" in stale[0].message


def test_an_irregular_dataset_is_never_stale(released: Any) -> None:
    released.update_frequency = "不定期"
    released.save_revision().publish()
    _age(released, 4000)
    assert freshness.stale_datasets() == []


def test_a_stale_dataset_gets_one_ticket_that_closes_after_a_new_release(bureau: Any,
                                                                        released: Any) -> None:
    _age(released, 900)
    today = dt.date(2026, 6, 1)  # inside the holiday calendar's years
    tickets = freshness.open_stale_tickets(as_of=today)
    assert len(tickets) == 1 and tickets[0].rule_id == "dataset.stale"
    assert tickets[0].organisation == bureau.bureau
    assert freshness.open_stale_tickets(as_of=today) == []  # no second ticket
    failed = monitoring_services.recheck_ticket(ticket=tickets[0])
    assert failed.status == TicketStatus.OPEN
    bureau.upload(DatasetPage.objects.get(pk=released.pk), GDP_CSV + "2025,东区,120,14\n")
    bureau.release(DatasetPage.objects.get(pk=released.pk))
    closed = monitoring_services.recheck_ticket(ticket=tickets[0])
    assert closed.status == TicketStatus.CLOSED
