"""ID-09 (梅州 第7条): a portal whose rules put department channels at
/zwgk/zfjg/<单位拼音首字母>/ is checked for channels at another address and departments without
one. DT-01: a portal publishes statistics (国民经济和社会发展统计信息) in a 数据发布 column that
is kept fresh; both are rule data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Page

from govsites import testing
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services
from govsites.sites.registry_rules import department_channel_paths, name_initials

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def _found(site: Any, rule_id: str, as_of: dt.date = DAY) -> list[InspectionFinding]:
    findings = platform_findings(site, base_url=probe_url(site),
                                 rulebook=load_rulebook(site=site), as_of=as_of)
    return [f for f in findings if f.rule_id == rule_id]


def _column(parent: Any, title: str, slug: str, owner: Any = None,
            column_type: str = "机构职能") -> Any:
    column = testing.make_column(parent, title=title, column_type=column_type, owner=owner)
    column.slug = slug
    column.save()
    return Page.objects.get(pk=column.pk).specific


def test_initials_of_a_unit_name_make_its_channel_address() -> None:
    assert name_initials("梅州市教育局") == "mzsjyj"
    assert name_initials("梅州市发展和改革局（市粮食局）") == "mzsfzhggjslsj"

    class Unit:
        name, short_name = "梅州市教育局", "市教育局"
    assert department_channel_paths("/zwgk/zfjg/{initials}/", Unit()) == [
        "/zwgk/zfjg/mzsjyj/", "/zwgk/zfjg/sjyj/"]


def test_meizhou_reports_a_channel_at_the_wrong_path_and_a_department_without_one(
        portal: Any) -> None:
    education = testing.make_organisation("示例市教育局", kind="department",
                                          parent=portal.host_organisation)
    health = testing.make_organisation("示例市卫生健康委员会", kind="department",
                                       parent=portal.host_organisation)
    assert _found(portal, "site.department_channel") == []  # national: subdomain style
    rule_services.choose_variant(variant="meizhou-2021", reason="本市施行该管理规定", site=None,
                                 acting_user=None)
    agencies = _column(_column(portal.site.root_page, "政务公开", "zwgk"), "政府机构", "zfjg")
    _column(agencies, "示例市教育局", "jyj", owner=education)
    found = {f.extra["organisation_id"]: f for f in _found(portal, "site.department_channel")}
    assert found[education.pk].extra["expected"] == "/zwgk/zfjg/slsjyj/"
    assert found[education.pk].extra["path"] == "/zwgk/zfjg/jyj/"
    assert "没有部门频道" in found[health.pk].evidence
    Page.objects.filter(pk__in=[c.pk for c in agencies.get_children()]).delete()
    agencies = Page.objects.get(pk=agencies.pk).specific
    _column(agencies, "示例市教育局", "slsjyj", owner=education)
    _column(agencies, "示例市卫生健康委员会", "slswsjkwyh", owner=health)
    assert _found(portal, "site.department_channel") == []


def test_statistics_not_updated_within_the_rule_days_are_reported(portal: Any) -> None:
    from govsites.content.selectors import missing_required_column_types

    assert "数据发布" in missing_required_column_types(portal)  # the column itself: CC-21
    column = testing.make_column(portal.site.root_page, title="统计数据", column_type="数据发布")
    assert _found(portal, "statistics.stale") == []  # empty: column.empty's finding
    item = testing.make_article(column, title="2026年4月全市主要经济指标")
    moment = timezone.make_aware(dt.datetime.combine(dt.date(2026, 5, 20), dt.time(10)))
    Page.objects.filter(pk=item.pk).update(first_published_at=moment, last_published_at=moment)
    assert _found(portal, "statistics.stale") == []
    [stale] = _found(portal, "statistics.stale", DAY + dt.timedelta(days=90))
    assert stale.extra == {"state": "stale", "last": "2026-05-20"}
    rule_services.set_override(key="statistics.stale.max_age_days", value=120, site=None,
                               reason="按季度发布", acting_user=None)
    assert _found(portal, "statistics.stale", DAY + dt.timedelta(days=90)) == []


def test_a_department_site_is_not_asked_for_statistics_nationally(department_site: Any) -> None:
    column = testing.make_column(department_site.site.root_page, title="统计数据",
                                 column_type="数据发布")
    item = testing.make_article(column, title="2025年教育统计")
    moment = timezone.make_aware(dt.datetime.combine(dt.date(2025, 5, 20), dt.time(10)))
    Page.objects.filter(pk=item.pk).update(first_published_at=moment, last_published_at=moment)
    assert _found(department_site, "statistics.stale") == []
