"""更新及时性: a dataset not updated within its update frequency is listed and gets a ticket.

The period of each frequency is the rule parameter `opendata.update_frequency_days` (0: no
fixed period, never stale). "Updated" means a new table version was released (or, for a dataset
with no table, the release itself). Tickets are monitoring's rectification tickets (问题销号),
opened through `monitoring.services.open_tickets` with the rule id `dataset.stale`; their
re-check (registered with monitoring) passes once the dataset is fresh again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from govsites.monitoring.findings import InspectionFinding

from . import policies, selectors

RULE_ID = "dataset.stale"
SEVERITY = "serious"


@dataclass(frozen=True)
class StaleDataset:
    dataset: Any
    site: Any
    updated_on: dt.date
    period_days: int

    @property
    def message(self) -> str:
        return (f"数据集《{self.dataset.title}》更新频率为“{self.dataset.update_frequency}”"
                f"（{self.period_days}天），最近一次更新在 {self.updated_on.isoformat()}，已超期未更新")


def _site(dataset: Any) -> Any:
    from govsites.sites.selectors import profile_for_page

    return profile_for_page(dataset)


def is_stale(dataset: Any, *, as_of: dt.date | None = None, site: Any = None) -> StaleDataset | None:
    """Return why a live dataset is stale, or None when it is within its period."""
    as_of = as_of or timezone.localdate()
    site = site if site is not None else _site(dataset)
    period = policies.update_frequencies(site).get(dataset.update_frequency, 0)
    updated = selectors.data_updated_at(dataset)
    if not period or updated is None:
        return None
    updated_on = timezone.localtime(updated).date()
    if (as_of - updated_on).days <= period:
        return None
    return StaleDataset(dataset=dataset, site=site, updated_on=updated_on, period_days=period)


def stale_datasets(*, as_of: dt.date | None = None) -> list[StaleDataset]:
    """Every live dataset of the cluster past its update period, oldest update first."""
    found = [s for d in selectors.live_datasets() if (s := is_stale(d, as_of=as_of)) is not None]
    return sorted(found, key=lambda s: (s.updated_on, s.dataset.pk))


def finding_for(stale: StaleDataset) -> InspectionFinding:
    return InspectionFinding(rule_id=RULE_ID, url=stale.dataset.get_full_url() or "",
                             evidence=f"最近更新 {stale.updated_on.isoformat()}",
                             severity=SEVERITY, veto=False, message=stale.message,
                             source="database")


def open_stale_tickets(*, as_of: dt.date | None = None, acting_user: Any = None) -> list[Any]:
    """Open a ticket (问题销号) for each stale dataset that has none open yet."""
    from govsites.monitoring import services as monitoring_services

    created: list[Any] = []
    for stale in stale_datasets(as_of=as_of):
        organisation = stale.dataset.provider()
        if organisation is None:
            continue
        created += monitoring_services.open_tickets(
            findings=[finding_for(stale)], organisation=organisation, site=stale.site,
            acting_user=acting_user, today=as_of)
    return created


def recheck(ticket: Any) -> tuple[bool, str]:
    """Re-check a dataset.stale ticket: passed once its dataset is updated (or withdrawn)."""
    for dataset in selectors.live_datasets():
        if dataset.get_full_url() == ticket.url:
            stale = is_stale(dataset)
            if stale is None:
                return True, "数据集已在更新周期内更新"
            return False, stale.message
    return True, "数据集已不再公开，无需更新"
