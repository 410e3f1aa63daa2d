"""IS-13/14/16: full inspections queued on the variant's cadence (quarterly nationally, monthly
or a daily patrol where the regulation says so), and the period's 通报 written once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from govsites.core.models import AuditRecord
from govsites.monitoring import services
from govsites.monitoring.choices import InspectionStatus
from govsites.monitoring.models import Inspection
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


def _inspected(portal: Any, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Inspection.objects.create(site=portal, target="http://localhost/", status=InspectionStatus.DONE,
                              requested_at=at, started_at=at, finished_at=at)


def _choose(variant: str) -> None:
    rule_services.choose_variant(variant=variant, reason="本市施行该管理办法", site=None,
                                 acting_user=None)


def test_a_site_never_inspected_is_queued_once(portal: Any) -> None:
    [queued] = services.request_scheduled_inspections(today=TODAY)
    assert queued.site == portal and queued.status == InspectionStatus.QUEUED
    assert queued.requested_by is None
    assert services.request_scheduled_inspections(today=TODAY) == []


@pytest.mark.parametrize(("variant", "last_inspected", "due"), [
    ("national", dt.date(2026, 5, 20), False),      # quarterly
    ("national", dt.date(2026, 4, 10), True),
    ("liangping-2021", dt.date(2026, 5, 20), False),  # quarterly too
    ("dandong-2019", dt.date(2026, 7, 13), True),    # daily patrol
    ("dandong-2019", dt.date(2026, 7, 14), False),
    ("meizhou-2021", dt.date(2026, 5, 20), False),
    ("bozhou-2019", dt.date(2026, 7, 13), True),     # 每月检查，每日巡检
    ("nantong-2019", dt.date(2026, 7, 13), True),
])
def test_the_variants_cadence_decides_when_a_site_is_due(
        portal: Any, variant: str, last_inspected: dt.date, due: bool) -> None:
    _choose(variant)
    _inspected(portal, last_inspected)
    assert bool(services.request_scheduled_inspections(today=TODAY)) is due


@pytest.mark.parametrize(("variant", "today", "issued"), [
    ("national", dt.date(2026, 7, 1), True),   # a quarter ended with June
    ("national", dt.date(2026, 8, 1), False),
    ("dandong-2019", dt.date(2026, 8, 1), True),  # 每月全面检查并通报
])
def test_the_bulletin_follows_the_cadence_and_is_written_once(
        portal: Any, settings: Any, tmp_path: Path, variant: str, today: dt.date,
        issued: bool) -> None:
    settings.MEDIA_ROOT = tmp_path
    _choose(variant)
    path = services.issue_bulletin(today=today)
    assert (path is not None) is issued
    if path is not None:
        assert path.name == f"通报-{today.year}-{today.month - 1:02d}.html"
        assert portal.name in path.read_text(encoding="utf-8")
        assert services.issue_bulletin(today=today) is None  # once per period
        assert AuditRecord.objects.filter(action="monitoring.bulletin.issue").count() == 1


def test_the_bulletin_states_the_share_of_sites_inspected_in_the_period(
        portal: Any, department_site: Any, settings: Any, tmp_path: Path) -> None:
    """IS-13: 各地区各部门每季度检查，抽查比例不低于30%. One of two sites inspected in the
    quarter is 50 %: reached; the inspection of the month before the quarter does not count."""
    settings.MEDIA_ROOT = tmp_path
    _inspected(portal, dt.date(2026, 5, 20))
    path = services.issue_bulletin(today=dt.date(2026, 7, 1))
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "检查在线网站 1 个，占在线网站 2 个的 50%" in text and "不低于 30%" in text
    assert "已达到" in text
    record = AuditRecord.objects.get(action="monitoring.bulletin.issue")
    assert record.details["share"] == 0.5 and record.details["required_share"] == 0.3


def test_a_period_below_the_sampling_share_is_flagged_and_the_platform_admins_told(
        portal: Any, department_site: Any, settings: Any, tmp_path: Path) -> None:
    from govsites.accounts.roles import Role
    from govsites.core.models import NotificationDelivery
    from govsites.monitoring.tests.admin_helpers import make_user

    settings.MEDIA_ROOT = tmp_path
    _inspected(portal, dt.date(2026, 3, 31))  # the quarter before: does not count
    admin = make_user(portal.host_organisation, Role.PLATFORM_ADMIN)
    path = services.issue_bulletin(today=dt.date(2026, 7, 1))
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "检查在线网站 0 个，占在线网站 2 个的 0%" in text and "未达到抽查比例" in text
    delivery = NotificationDelivery.objects.get(recipient=admin, kind="monitoring.sample_short")
    assert "0/2" in delivery.subject


def test_the_sampling_share_is_rule_data(portal: Any, department_site: Any, settings: Any,
                                         tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    _inspected(portal, dt.date(2026, 5, 20))
    rule_services.set_override(key="inspection.sampling_share", value=0.6,
                               reason="本市要求抽查比例不低于60%", site=None, acting_user=None)
    path = services.issue_bulletin(today=dt.date(2026, 7, 1))
    assert path is not None and "未达到抽查比例" in path.read_text(encoding="utf-8")
