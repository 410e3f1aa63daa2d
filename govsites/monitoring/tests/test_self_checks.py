"""IS-14: each site's own 自查 is due every `inspection.self_check_months` months (亳州: 每月自查);
its site administrators are reminded while it is overdue, and a site without the rule is left
alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.core.models import NotificationDelivery
from govsites.monitoring.choices import InspectionStatus
from govsites.monitoring.models import Inspection
from govsites.monitoring.rule_alerts import remind_overdue_self_checks
from govsites.monitoring.tests.admin_helpers import make_user
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


def _inspection(portal: Any, day: dt.date, by: Any) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Inspection.objects.create(site=portal, target="http://localhost/", status=InspectionStatus.DONE,
                              requested_at=at, started_at=at, finished_at=at, requested_by=by)


def _bozhou() -> None:
    rule_services.choose_variant(variant="bozhou-2019", reason="本市施行该管理办法", site=None,
                                 acting_user=None)


def test_a_site_without_a_self_check_in_the_period_reminds_its_administrators(
        portal: Any) -> None:
    _bozhou()  # 每月自查
    admin = make_user(portal.host_organisation, Role.SITE_ADMIN)
    _inspection(portal, dt.date(2026, 6, 1), by=admin)     # over a month ago
    _inspection(portal, dt.date(2026, 7, 10), by=None)     # the platform's, not a 自查
    assert remind_overdue_self_checks(today=TODAY) == [portal]
    delivery = NotificationDelivery.objects.get(recipient=admin,
                                                kind="monitoring.self_check_overdue")
    assert "自查逾期" in delivery.subject
    _inspection(portal, dt.date(2026, 7, 1), by=admin)     # a 自查 within the month
    assert remind_overdue_self_checks(today=TODAY) == []


def test_without_the_rule_no_self_check_is_due(portal: Any) -> None:
    make_user(portal.host_organisation, Role.SITE_ADMIN)
    assert remind_overdue_self_checks(today=TODAY) == []
    assert not NotificationDelivery.objects.filter(kind="monitoring.self_check_overdue").exists()
