"""IS-14 (丹东 第37条; 梅州 第38条): where the regulation has the inspection results made public
(`inspection.results_published`), the period's 通报 is also published on the portal, as an item
of its 通知公告 column; nationally (off) it stays a file for the platform's administrators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Page

from govsites.core.models import AuditRecord
from govsites.monitoring import services
from govsites.monitoring.choices import InspectionStatus
from govsites.monitoring.models import Inspection
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db


def _articles() -> list[Any]:
    """The articles on any site (read through wagtail's pages: monitoring's tests do not import
    content's models)."""
    return [page.specific for page in Page.objects.filter(content_type__model="articlepage")]


def _inspected(site: Any, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Inspection.objects.create(site=site, target="http://localhost/", status=InspectionStatus.DONE,
                              requested_at=at, started_at=at, finished_at=at)


def test_where_results_are_published_the_bulletin_becomes_a_portal_notice(
        portal: Any, department_site: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    rule_services.choose_variant(variant="meizhou-2021", reason="本市施行该管理办法", site=None,
                                 acting_user=None)
    _inspected(portal, dt.date(2026, 5, 20))
    assert services.issue_bulletin(today=dt.date(2026, 7, 1)) is not None
    [item] = _articles()
    assert item.live and item.title == "关于2026年4月至2026年6月政府网站检查情况的通报"
    assert "检查在线网站 1 个，占在线网站 2 个的 50%" in item.summary
    assert "已达到抽查比例" in item.summary and item.summary in item.body
    column = item.get_parent().specific
    assert column.column_type == "通知公告"
    assert Page.objects.get(pk=column.get_parent().pk).pk == portal.site.root_page.pk
    assert item.publisher == portal.host_organisation
    assert AuditRecord.objects.filter(action="content.item.publish").count() == 1
    record = AuditRecord.objects.get(action="monitoring.bulletin.issue")
    assert record.details["page"] == item.pk
    assert services.issue_bulletin(today=dt.date(2026, 7, 1)) is None  # once per period
    assert len(_articles()) == 1


def test_without_the_rule_the_bulletin_is_not_published(
        portal: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert services.issue_bulletin(today=dt.date(2026, 7, 1)) is not None  # national: off
    assert _articles() == []
    assert AuditRecord.objects.get(action="monitoring.bulletin.issue").details["page"] is None
