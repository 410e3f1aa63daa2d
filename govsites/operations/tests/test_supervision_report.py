"""《政府网站监管年度报表》 across the cluster, from the inspector, the registry and 找错."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govsites.monitoring.models import Inspection
from govsites.operations import reports
from govsites.operations.models import FigureOrigin

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_the_supervision_report_counts_inspections_verdicts_and_sites_opened(portal,
                                                                           department_site):
    now = timezone.now()
    for site, verdict in ((portal, "合格"), (portal, "合格"), (department_site, "单项否决")):
        Inspection.objects.create(site=site, target=f"https://{site.domain}/", started_at=now,
                                  verdict=verdict)
    report = reports.compile_report(kind="supervision", site=portal, year=YEAR)
    figures = {f.key: f for f in report.figures.all()}
    assert figures["inspections"].value == "3"
    assert figures["sites_inspected"].value == "2"
    assert figures["sites_failed"].value == "1"
    assert figures["share_inspected"].value == "100%"
    assert figures["sites_opened"].value == "0"  # registered directly, not through a request
    assert figures["error_reports_received"].origin in (FigureOrigin.PLATFORM,
                                                        FigureOrigin.UNAVAILABLE)
    assert figures["trainings"].origin == FigureOrigin.MANUAL
    assert report.deadline.month == 1


def test_sites_closed_and_merged_in_the_year_come_from_approved_requests(portal, department_site):
    from govsites.accounts.roles import Role
    from govsites.operations.lifecycle import decide_site_change, request_site_change

    from .helpers import make_user

    asker = make_user(portal.host_organisation, Role.SITE_ADMIN)
    approver = make_user(portal.host_organisation, Role.SUPERVISOR)
    change = request_site_change(site=department_site, action="migrate", justification="整合",
                                 acting_user=asker, target=portal)
    decide_site_change(change=change, approve=True, acting_user=approver)
    report = reports.compile_report(kind="supervision", site=portal, year=YEAR)
    figures = {f.key: f.value for f in report.figures.all()}
    assert (figures["sites_merged"], figures["sites_closed"]) == ("1", "0")
