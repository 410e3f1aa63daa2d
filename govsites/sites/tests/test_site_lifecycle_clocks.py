"""A site's life as the data bureau records it (ID-03, 04, 05, 16, 21, 22, 23, 24): 管理备案 before
going online, clocks whose deadlines are rule data counted through the working-day calendar,
notices on the home pages, reminders to the registry keepers, and the admin screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites import testing
from govsites.core.calendar import add_working_days
from govsites.core.models import AuditRecord, NotificationDelivery
from govsites.sites import lifecycle
from govsites.sites.lifecycle import (
    complete_clock,
    due_clocks,
    record_closure_step,
    record_domain_verification,
    record_filing,
    record_mark_application,
    record_mark_materials,
    record_opening_approval,
    record_registry_change,
    remind_due_clocks,
)
from govsites.sites.models import SiteClock, SiteFiling, SiteNotice, SiteProfile
from govsites.sites.selectors import notices_in_force
from govsites.sites.services import change_site_status, update_site

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONDAY = dt.date(2026, 11, 2)  # an ordinary week: no holiday before 2026-11-20


@pytest.fixture
def bozhou(settings: Any) -> None:
    settings.GOVSITES_RULES_VARIANT = "bozhou-2019"


@pytest.fixture
def dandong(settings: Any) -> None:
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"


@pytest.fixture
def planned(portal: Any) -> SiteProfile:
    org = testing.make_organisation("示例市文旅局", kind="department", parent=portal.host_organisation)
    site = testing.make_site(name="示例市文化和旅游局", kind="department", organisation=org,
                             domain="wlj.shili.gov.cn", hostname="wlj.localhost", portal=portal,
                             is_default=False)
    SiteProfile.objects.filter(pk=site.pk).update(status="planned")
    site.refresh_from_db()
    return site


def _file(site: SiteProfile, *kinds: str) -> None:
    for kind in kinds:
        record_filing(site=site, kind=kind, filed_on=TODAY, reference=f"{kind}-001",
                      acting_user=None)


def _keeper() -> Any:
    user = get_user_model().objects.create_user(
        username="dengji", password="Pass#1234x", real_name="登记管理员", mobile="13800000000",
        email="dengji@shili.gov.cn")
    user.groups.set(Group.objects.filter(name="平台管理员"))
    return user


def test_a_planned_site_goes_online_only_with_the_filings_its_rules_require(
        planned: SiteProfile, settings: Any) -> None:
    with pytest.raises(ValidationError, match="尚缺：党政机关网站标识、域名注册"):
        change_site_status(site=planned, status="online", acting_user=None)
    _file(planned, "conac_mark", "domain")
    settings.GOVSITES_RULES_VARIANT = "bozhou-2019"  # adds 等保定级备案, 全国政府网站认证
    assert lifecycle.opening_problems(planned) == ["等级保护定级备案", "全国政府网站认证"]
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # adds 安全测评
    with pytest.raises(ValidationError, match="尚缺：安全测评"):
        change_site_status(site=planned, status="online", acting_user=None)
    _file(planned, "security_assessment")
    change_site_status(site=planned, status="online", acting_user=None)
    planned.refresh_from_db()
    assert planned.status == "online"
    # a cancelled filing no longer counts; an ICP number in the registry is the ICP filing
    SiteFiling.objects.filter(site=planned, kind="domain").update(cancelled_on=TODAY)
    assert lifecycle.opening_problems(planned) == ["域名注册"]


def test_the_go_live_clock_runs_from_the_approval_and_stops_when_the_site_opens(
        planned: SiteProfile, bozhou: None) -> None:
    approved = TODAY - dt.timedelta(days=100)
    clock = record_opening_approval(site=planned, approved_on=approved, reference="亳政秘〔2026〕8号",
                                    acting_user=None)
    assert clock.rule == "ID-04" and clock.due_on == approved + dt.timedelta(days=90)
    assert [c.clock for c in due_clocks(today=TODAY) if c.overdue] == [clock]
    with pytest.raises(ValidationError, match="已登记开办批准"):
        record_opening_approval(site=planned, approved_on=TODAY, reference="再次", acting_user=None)
    _file(planned, "conac_mark", "domain", "mlps", "gov_certification")
    change_site_status(site=planned, status="online", acting_user=None)
    clock.refresh_from_db()
    assert clock.completed_on == TODAY and clock.completed_late
    record = AuditRecord.objects.filter(action="sites.site.status").latest("pk")
    assert record.details["go_live"] == {"clock": clock.pk, "late": True}
    assert due_clocks(today=TODAY) == []


def test_clocks_near_or_past_their_deadline_are_reminded_to_the_registry_keepers(
        planned: SiteProfile, bozhou: None) -> None:
    keeper = _keeper()
    clock = record_opening_approval(site=planned, approved_on=TODAY - dt.timedelta(days=80),
                                    reference="亳政秘〔2026〕9号", acting_user=None)
    assert clock.due_on is not None
    before = clock.due_on - dt.timedelta(days=30)
    assert due_clocks(today=before) == []  # far from the deadline: nothing
    near = [d for d in (clock.due_on - dt.timedelta(days=n) for n in range(1, 4))
            if add_working_days(d, 3) >= clock.due_on][-1]
    assert [(d.clock, d.overdue) for d in due_clocks(today=near)] == [(clock, False)]
    assert remind_due_clocks(today=clock.due_on + dt.timedelta(days=1)) == 1
    delivery = NotificationDelivery.objects.get(recipient=keeper)
    assert delivery.kind == "sites.clock.due" and "已超期" in delivery.subject
    assert remind_due_clocks(today=clock.due_on + dt.timedelta(days=1)) == 0  # once a day


def test_a_new_site_is_announced_on_its_portal_home_page_for_the_notice_period(
        planned: SiteProfile, portal: Any, client: Any, bozhou: None) -> None:
    _file(planned, "conac_mark", "domain", "mlps", "gov_certification")
    change_site_status(site=planned, status="online", acting_user=None)
    notice = SiteNotice.objects.get(kind="opening")
    assert notice.shown_on == portal and notice.about == planned
    assert (notice.ends_on - notice.starts_on).days + 1 == 30  # 亳州: shown ≥ 30 days
    assert notices_in_force(portal, today=TODAY + dt.timedelta(days=29)) == [notice]
    assert notices_in_force(portal, today=TODAY + dt.timedelta(days=30)) == []
    page = client.get("/", HTTP_HOST="localhost").content.decode()
    assert "关于“示例市文化和旅游局”开通运行的公告" in page and "wlj.shili.gov.cn" in page


def test_a_county_portal_is_announced_on_the_city_portal(portal: Any, bozhou: None) -> None:
    county = testing.make_organisation("示例县人民政府", parent=portal.host_organisation)
    site = testing.make_site(name="示例县人民政府", kind="county", organisation=county,
                             domain="www.shixian.gov.cn", hostname="shixian.localhost",
                             portal=portal, is_default=False)
    SiteProfile.objects.filter(pk=site.pk).update(status="planned")
    site.refresh_from_db()
    _file(site, "conac_mark", "domain", "mlps", "gov_certification")
    change_site_status(site=site, status="online", acting_user=None)
    assert SiteNotice.objects.get(kind="opening").shown_on == portal


def test_no_opening_notice_where_the_rules_ask_for_none(planned: SiteProfile) -> None:
    _file(planned, "conac_mark", "domain")
    change_site_status(site=planned, status="online", acting_user=None)
    assert not SiteNotice.objects.exists()


def test_a_posted_notice_republishes_the_home_page_that_shows_it(
        planned: SiteProfile, portal: Any, dandong: None, settings: Any, tmp_path: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from django.core.management import call_command

    from govsites.sites.signals import home_notices_changed

    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    settings.DATA_DIR = tmp_path
    call_command("publish", "--all")
    home = tmp_path / "published" / "localhost" / "index.html"
    assert "开通运行的公告" not in home.read_text(encoding="utf-8")

    seen: list[list[int]] = []

    def receiver(sender: Any, root_page_ids: list[int], **kwargs: Any) -> None:
        seen.append(root_page_ids)

    home_notices_changed.connect(receiver, dispatch_uid="test-home-notices")
    try:
        _file(planned, "conac_mark", "domain", "security_assessment")
        with django_capture_on_commit_callbacks(execute=True):
            change_site_status(site=planned, status="online", acting_user=None)
        assert seen == [[portal.site.root_page_id]]
        assert "关于“示例市文化和旅游局”开通运行的公告" in home.read_text(encoding="utf-8")
        ended = SiteNotice.objects.get().ends_on + dt.timedelta(days=1)
        assert lifecycle.refresh_notice_pages(today=ended) == [portal.site.root_page_id]
    finally:
        home_notices_changed.disconnect(dispatch_uid="test-home-notices")


def test_the_mark_application_review_clocks_count_working_days(planned: SiteProfile) -> None:
    first = record_mark_application(site=planned, submitted_on=MONDAY, reference="标识申请-7",
                                    acting_user=None)
    assert first.rule == "ID-16" and first.due_on == dt.date(2026, 11, 9)  # 5 working days
    with pytest.raises(ValidationError, match="不能早于提交申请"):
        record_mark_materials(site=planned, received_on=MONDAY - dt.timedelta(days=1),
                              acting_user=None)
    full = record_mark_materials(site=planned, received_on=dt.date(2026, 11, 4), acting_user=None)
    assert full.due_on == dt.date(2026, 11, 18)  # 10 working days after the paper materials
    assert {d.clock for d in due_clocks(today=dt.date(2026, 11, 10))} == {first}
    complete_clock(clock=first, completed_on=dt.date(2026, 11, 6), acting_user=None)
    complete_clock(clock=full, completed_on=dt.date(2026, 11, 20), reference="bm44000001",
                   acting_user=None)
    full.refresh_from_db()
    assert full.completed_late and not SiteClock.objects.get(pk=first.pk).completed_late
    mark = SiteFiling.objects.get(site=planned, kind="conac_mark")
    assert mark.reference == "bm44000001" and mark.filed_on == dt.date(2026, 11, 20)


def test_a_registry_change_must_be_filed_within_the_working_days_of_the_rule(
        department_site: SiteProfile, bozhou: None) -> None:
    update_site(site=department_site, acting_user=None, phone="0558-5550000")
    clock = SiteClock.objects.get(kind="registry_filing")
    assert clock.rule == "ID-21" and clock.due_on == add_working_days(TODAY, 20)
    assert clock.details == {"fields": ["phone"], "announce": False}
    record = AuditRecord.objects.filter(action="sites.site.update").latest("pk")
    assert record.details["registry_filing"]["clock"] == clock.pk
    complete_clock(clock=clock, completed_on=TODAY, reference="报备-3", acting_user=None)
    assert not SiteNotice.objects.exists()


def test_no_filing_clock_where_the_rules_set_none(department_site: SiteProfile) -> None:
    update_site(site=department_site, acting_user=None, phone="0558-5550000")
    assert not SiteClock.objects.exists()


def test_a_dandong_owner_change_is_filed_with_a_public_notice(
        department_site: SiteProfile, dandong: None) -> None:
    update_site(site=department_site, acting_user=None, address="示例市新城大道8号")
    clock = SiteClock.objects.get(kind="registry_filing")
    assert clock.details["announce"] is True and clock.due_on is None  # 丹东 sets no period
    with pytest.raises(ValidationError, match="须向社会公告"):
        complete_clock(clock=clock, completed_on=TODAY, acting_user=None)
    complete_clock(clock=clock, completed_on=TODAY, acting_user=None,
                   notice_text="本网站联系地址变更为示例市新城大道8号。")
    notice = SiteNotice.objects.get(kind="registry_change")
    assert notice.shown_on == department_site and notices_in_force(department_site) == [notice]
    # a change the registry has no field for (负责人) is recorded by hand, same clock
    person = record_registry_change(site=department_site, fields=["responsible_person"],
                                    changed_on=TODAY, description="网站负责人调整",
                                    acting_user=None)
    assert person.details["announce"] is True
    update_site(site=department_site, acting_user=None, phone="0415-1234567")  # not announced,
    assert SiteClock.objects.filter(kind="registry_filing").count() == 2  # and no period: no clock


def test_a_domain_change_is_announced_and_the_old_domain_is_cancelled_only_after_the_notice_period(
        department_site: SiteProfile, bozhou: None) -> None:
    update_site(site=department_site, acting_user=None, domain="edu.shili.gov.cn")
    clock = SiteClock.objects.get(kind="domain_notice")
    assert clock.due_on == lifecycle.months_later(TODAY, 3)
    notice = SiteNotice.objects.get(kind="domain_change")
    assert notice.shown_on == department_site and notice.ends_on == clock.due_on
    assert "jyj.shili.gov.cn" in notice.body and "edu.shili.gov.cn" in notice.body
    with pytest.raises(ValidationError, match="公告期满后方可注销原域名"):
        complete_clock(clock=clock, completed_on=TODAY, acting_user=None)
    assert lifecycle.months_later(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    SiteClock.objects.filter(pk=clock.pk).update(started_on=TODAY - dt.timedelta(days=100),
                                                 due_on=TODAY - dt.timedelta(days=8))
    clock.refresh_from_db()
    complete_clock(clock=clock, completed_on=TODAY, acting_user=None)
    assert not clock.is_open and not clock.completed_late


def test_the_domain_registry_clock_counts_working_days_from_verification(
        planned: SiteProfile, bozhou: None) -> None:
    clock = record_domain_verification(site=planned, domain="WLJ.shili.gov.cn",
                                       operation="register", verified_on=MONDAY, acting_user=None)
    assert clock.rule == "ID-23" and clock.due_on == dt.date(2026, 11, 5)  # 3 working days
    assert [d.overdue for d in due_clocks(today=dt.date(2026, 11, 6))] == [True]
    complete_clock(clock=clock, completed_on=dt.date(2026, 11, 5), acting_user=None)
    assert SiteFiling.objects.get(site=planned, kind="domain").reference == "wlj.shili.gov.cn"
    assert "域名注册" not in lifecycle.opening_problems(planned)


def test_a_closed_site_must_cancel_its_filings_and_report_within_the_period(
        department_site: SiteProfile, bozhou: None) -> None:
    _file(department_site, "conac_mark", "domain")
    with pytest.raises(ValidationError, match="没有待办结的永久下线事项"):
        record_closure_step(site=department_site, step="icp", done_on=TODAY, acting_user=None)
    change_site_status(site=department_site, status="retired", acting_user=None, reason="关停")
    clock = SiteClock.objects.get(kind="closure")
    assert clock.rule == "ID-24" and clock.due_on == TODAY + dt.timedelta(days=90)
    for step in ("icp", "conac_mark", "police", "domain"):
        record_closure_step(site=department_site, step=step, done_on=TODAY,
                            reference=f"注销-{step}", acting_user=None)
    clock.refresh_from_db()
    assert clock.is_open and lifecycle.closure_steps_left(clock) == ["报告网站状态"]
    assert SiteFiling.objects.get(site=department_site, kind="domain").cancelled_on == TODAY
    assert [d.clock for d in due_clocks(today=TODAY + dt.timedelta(days=91))] == [clock]
    record_closure_step(site=department_site, step="report", done_on=TODAY, acting_user=None)
    clock.refresh_from_db()
    assert clock.completed_on == TODAY and not clock.completed_late
    assert AuditRecord.objects.filter(action="sites.closure.step").count() == 5


def test_the_admin_screen_records_an_approval_and_a_filing(
        client: Any, planned: SiteProfile, bozhou: None) -> None:
    testing.login_verified(client, _keeper())
    url = f"/admin/sites/lifecycle/{planned.pk}/"
    page = client.get(url).content.decode()
    assert "上线前尚缺管理备案" in page and "等级保护定级备案" in page
    client.post(url, {"action": "approval", "approval-approved_on": TODAY.isoformat(),
                      "approval-reference": "亳政秘〔2026〕10号"})
    client.post(url, {"action": "filing", "filing-kind": "mlps", "filing-reference": "等保-1",
                      "filing-filed_on": TODAY.isoformat()})
    assert SiteClock.objects.get(site=planned).reference == "亳政秘〔2026〕10号"
    assert SiteFiling.objects.get(site=planned).kind == "mlps"
    overview = client.get("/admin/sites/lifecycle/").content.decode()
    assert "自批准之日起达标上线" in overview
    refused = client.post(url, {"action": "approval", "approval-approved_on": TODAY.isoformat(),
                                "approval-reference": "又一次"}, follow=True)
    assert "已登记开办批准" in refused.content.decode()


def test_someone_without_the_registry_permission_cannot_record(
        client: Any, planned: SiteProfile) -> None:
    user = get_user_model().objects.create_user(username="bianji", password="Pass#1234x",
                                                real_name="编辑", mobile="13800000001")
    user.groups.set(Group.objects.filter(name="站点管理员"))
    testing.login_verified(client, user)
    response = client.post(f"/admin/sites/lifecycle/{planned.pk}/", {
        "action": "filing", "filing-kind": "mlps", "filing-filed_on": TODAY.isoformat()})
    assert response.status_code in (302, 403) and not SiteFiling.objects.exists()
