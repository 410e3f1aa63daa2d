"""RP-04 (国办函〔2018〕12号): the portal runs a 专栏 collecting every site's 《政府网站工作年度报表》:
publishing a department's or a county's report also places a synced copy in the portal's
年度报表 column, next to the portal's own report."""

from __future__ import annotations

import pytest
from django.utils import timezone
from wagtail.models import Page

from govsites import testing
from govsites.operations import reports

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def published(site):
    report = reports.compile_report(site=site, year=YEAR)
    empty = {f.key: ("无", "") for f in report.figures.all() if not f.value}
    reports.revise_figures(report=report, changes=empty, acting_user=None)
    reports.review_report(report=report, acting_user=None)
    return reports.publish_report(report=report, acting_user=None)


def collection(portal):
    column = Page.objects.child_of(portal.site.root_page).get(title="年度报表")
    return {page.specific.title for page in column.get_children().live()}


def test_every_sites_report_is_listed_in_the_portals_annual_report_column(portal,
                                                                          department_site):
    county_org = testing.make_organisation("示例县人民政府", parent=portal.host_organisation)
    county = testing.make_site(name="示例县人民政府", kind="county", organisation=county_org,
                               domain="www.shixian.gov.cn", hostname="shixian.localhost",
                               is_default=False)
    department = published(department_site)
    assert department.get_parent().get_parent().pk == department_site.site.root_page.pk
    copy = department.aliases.get().specific
    assert copy.live and copy.get_parent().get_parent().pk == portal.site.root_page.pk
    published(county)  # a county site names no portal: the cluster's portal collects it
    published(portal)
    assert collection(portal) == {f"示例市教育局{YEAR}年政府网站工作年度报表",
                                  f"示例县人民政府{YEAR}年政府网站工作年度报表",
                                  f"示例市人民政府{YEAR}年政府网站工作年度报表"}
    assert reports.collecting_portal(portal) is None  # the portal's own column holds its own
