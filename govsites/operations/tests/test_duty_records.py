"""Duty roster, security incidents and drills, and what they add to the annual reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations import duty, reports
from govsites.operations.models import DutyShift, SecurityIncident

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_drills_and_incidents_feed_the_security_section_of_both_reports(portal, department_site):
    org = portal.host_organisation
    before = {f.key: f.value for f in reports.compile_report(site=portal, year=TODAY.year)
              .figures.all()}
    assert before["drills"] == "否" and before["incidents"] == "0"
    duty.record_drill(organisation=org, held_on=TODAY, scenario="首页被篡改的处置",
                      participants=8, acting_user=None)
    incident = duty.record_incident(site=portal, detected_at=timezone.now(), source="guard",
                                    severity="general", summary="首页文件摘要不符",
                                    acting_user=None)
    duty.record_incident(site=department_site, detected_at=timezone.now(), source="person",
                         severity="larger", summary="栏目被挂暗链", acting_user=None)
    with pytest.raises(ValidationError, match="处置情况"):
        duty.close_incident(incident=incident, response=" ", acting_user=None)
    duty.close_incident(incident=incident, response="已从发布记录恢复", acting_user=None)
    after = {f.key: f.value for f in reports.compile_report(site=portal, year=TODAY.year)
             .figures.all()}
    assert after["drills"] == "是" and after["incidents"] == "1"
    supervision = {f.key: f.value for f in reports.compile_report(
        kind="supervision", site=portal, year=TODAY.year).figures.all()}
    assert (supervision["incidents"], supervision["incidents_closed"]) == ("2", "1")


def test_a_drill_or_duty_in_the_future_is_refused(portal):
    officer = make_user(portal.host_organisation, Role.DUTY_OFFICER)
    with pytest.raises(ValidationError):
        duty.record_drill(organisation=portal.host_organisation,
                          held_on=TODAY + dt.timedelta(days=1), scenario="演练", acting_user=None)
    with pytest.raises(ValidationError):
        duty.record_shift(organisation=portal.host_organisation, day=TODAY + dt.timedelta(days=1),
                          officer=officer, acting_user=officer)
    assert not DutyShift.objects.exists()


def test_the_duty_officer_records_a_day_with_reading_and_an_incident(portal):
    officer = make_user(portal.host_organisation, Role.DUTY_OFFICER)
    client = client_for(officer)
    client.post("/admin/operations/duty/", {"form": "shift", "day": TODAY.isoformat(),
                                            "web_reading_done": "on",
                                            "reading_notes": "首页正常",
                                            "handover_notes": "无遗留问题"})
    shift = DutyShift.objects.get()
    assert shift.officer == officer and shift.web_reading_done
    client.post("/admin/operations/duty/", {
        "form": "incident", "site": portal.pk, "detected_at": "2026-11-30T08:30",
        "source": "prober", "severity": "general", "summary": "首页无法访问10分钟"})
    assert SecurityIncident.objects.get().source == "prober"
    assert "首页无法访问10分钟" in client.get("/admin/operations/duty/").content.decode()


def test_an_organisation_short_of_its_yearly_drills_is_listed_under_the_rule_in_force(
        portal, settings):
    org = portal.host_organisation
    assert duty.drill_shortfalls(TODAY.year) == []  # national: no number of drills
    settings.GOVSITES_RULES_VARIANT = "meizhou-2021"  # 第32条: at least once a year
    [shortfall] = duty.drill_shortfalls(TODAY.year)
    assert (shortfall.organisation, shortfall.held, shortfall.required) == (org, 0, 1)
    assert "规定每年至少1次" in shortfall.message
    last_year = TODAY.replace(month=1, day=1) - dt.timedelta(days=1)
    duty.record_drill(organisation=org, held_on=last_year, scenario="去年的演练", acting_user=None)
    assert [s.held for s in duty.drill_shortfalls(TODAY.year)] == [0]  # last year's does not count
    duty.record_drill(organisation=org, held_on=TODAY, scenario="首页被篡改的处置",
                      acting_user=None)
    assert duty.drill_shortfalls(TODAY.year) == []


def test_the_duty_screen_warns_an_organisation_short_of_its_drills(portal, settings):
    settings.GOVSITES_RULES_VARIANT = "meizhou-2021"
    officer = make_user(portal.host_organisation, Role.DUTY_OFFICER)
    page = client_for(officer).get("/admin/operations/duty/").content.decode()
    assert f"{TODAY.year}年已登记应急演练0次，规定每年至少1次" in page
    duty.record_drill(organisation=portal.host_organisation, held_on=TODAY, scenario="演练",
                      acting_user=None)
    page = client_for(officer).get("/admin/operations/duty/").content.decode()
    assert "规定每年至少" not in page


def test_days_without_a_shift_or_without_reading_are_gaps_where_the_rules_require_round_the_clock_duty(
        portal, settings):
    org = portal.host_organisation
    officer = make_user(org, Role.DUTY_OFFICER)
    start, end = TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1)
    assert duty.duty_gaps(start, end) == []  # national: no 24-hour duty rule
    settings.GOVSITES_RULES_VARIANT = "liangping-2021"  # 第20条: 7×24小时读网
    duty.record_shift(organisation=org, day=start, officer=officer, acting_user=officer,
                      web_reading_done=True)
    duty.record_shift(organisation=org, day=start + dt.timedelta(days=1), officer=officer,
                      acting_user=officer, web_reading_done=False)
    gaps = duty.duty_gaps(start, end)
    assert [(g.organisation, g.day, g.shift_recorded) for g in gaps] == [
        (org, start + dt.timedelta(days=1), True), (org, end, False)]
    assert "未完成读网" in gaps[0].message and "没有值班记录" in gaps[1].message
    other = make_user(org, Role.DUTY_OFFICER)
    duty.record_shift(organisation=org, day=start + dt.timedelta(days=1), officer=other,
                      acting_user=other, web_reading_done=True)  # a second officer read the sites
    assert [g.day for g in duty.duty_gaps(start, end)] == [end]
    assert duty.duty_gaps(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=5)) == []


def test_the_daily_job_tells_the_organisation_about_yesterdays_missing_duty(portal, settings):
    from govsites.core.models import NotificationDelivery
    from govsites.operations.tasks import duty_gaps_round

    admin = make_user(portal.host_organisation, Role.SITE_ADMIN)
    assert duty_gaps_round.call() == {"gaps": 0, "notified": 0}
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"
    assert duty_gaps_round.call()["gaps"] == 1
    delivery = NotificationDelivery.objects.get(recipient=admin)
    assert delivery.kind == "operations.duty.gap"
    duty_gaps_round.call()
    assert NotificationDelivery.objects.filter(recipient=admin).count() == 1  # once per day


def test_the_duty_screen_lists_the_last_weeks_days_without_reading(portal, settings):
    settings.GOVSITES_RULES_VARIANT = "nantong-2019"
    officer = make_user(portal.host_organisation, Role.DUTY_OFFICER)
    yesterday = TODAY - dt.timedelta(days=1)
    page = client_for(officer).get("/admin/operations/duty/").content.decode()
    assert f"{yesterday:%Y-%m-%d}没有值班记录" in page
    duty.record_shift(organisation=portal.host_organisation, day=yesterday, officer=officer,
                      acting_user=officer, web_reading_done=True)
    page = client_for(officer).get("/admin/operations/duty/").content.decode()
    assert f"{yesterday:%Y-%m-%d}没有值班记录" not in page
    assert f"{TODAY - dt.timedelta(days=7):%Y-%m-%d}没有值班记录" in page
