"""Site lifecycle: suspension limits as rule data, notice pages, resume, close and migrate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govsites import testing
from govsites.accounts.roles import Role
from govsites.operations import lifecycle
from govsites.operations.lifecycle import ChangeRefused, decide_site_change, request_site_change
from govsites.operations.models import ChangeStatus, SiteChange
from govsites.publishing.nginx import NginxOptions, http_config
from govsites.sites.choices import SiteStatus
from govsites.sites.lifecycle import record_filing

from .helpers import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def people(portal):
    org = portal.host_organisation
    return make_user(org, Role.SITE_ADMIN), make_user(org, Role.SUPERVISOR)


def suspend(site, people, days: int, start: dt.date = TODAY):
    asker, approver = people
    change = request_site_change(site=site, action="suspend", justification="服务器迁移",
                                 acting_user=asker, notice="本网站正在迁移服务器。",
                                 starts_on=start, ends_on=start + dt.timedelta(days=days - 1))
    return decide_site_change(change=change, approve=True, acting_user=approver)


def refresh(site):
    site.refresh_from_db()
    return site


def test_a_department_site_is_suspended_with_a_notice_and_brought_back(department_site, people,
                                                                      client, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"
    with pytest.raises(ChangeRefused, match="不得超过30天"):
        suspend(department_site, people, 31)
    suspend(department_site, people, 30)
    assert refresh(department_site).status == SiteStatus.TEMP_OFFLINE
    response = client.get("/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 503 and "本网站正在迁移服务器" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    asker, approver = people
    back = request_site_change(site=department_site, action="resume", justification="迁移完成",
                               acting_user=asker)
    decide_site_change(change=back, approve=True, acting_user=approver)
    assert refresh(department_site).status == SiteStatus.ONLINE
    assert client.get("/", HTTP_HOST="jyj.localhost").status_code == 200
    with pytest.raises(ChangeRefused, match="每年临时下线不得超过1次"):
        suspend(department_site, people, 2)
    assert SiteChange.objects.get(action="suspend").ended_at is not None


def test_the_limits_follow_the_rule_set_and_its_site_kinds(portal, people, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # limits only department sites
    suspend(portal, people, 45)
    assert refresh(portal).status == SiteStatus.TEMP_OFFLINE
    settings.GOVSITES_RULES_VARIANT = ""
    assert lifecycle.offline_limits(portal) == lifecycle.OfflineLimits(None, None)


def test_a_force_majeure_suspension_is_not_counted(department_site, people, settings):
    settings.GOVSITES_RULES_VARIANT = "bozhou-2019"
    asker, approver = people
    change = request_site_change(site=department_site, action="suspend", justification="台风断电",
                                 acting_user=asker, starts_on=TODAY,
                                 ends_on=TODAY + dt.timedelta(days=40), counted=False)
    decide_site_change(change=change, approve=True, acting_user=approver)
    assert lifecycle.suspensions_in_year(department_site, TODAY.year) == 0


def test_the_requester_cannot_approve_and_a_refusal_needs_a_reason(portal, people):
    asker, approver = people
    change = request_site_change(site=portal, action="close", justification="并入门户",
                                 acting_user=asker)
    with pytest.raises(ChangeRefused, match="申请人不能审批"):
        decide_site_change(change=change, approve=True, acting_user=asker)
    with pytest.raises(ChangeRefused, match="审批意见"):
        decide_site_change(change=change, approve=False, acting_user=approver)
    decide_site_change(change=change, approve=False, acting_user=approver, note="理由不充分")
    assert refresh(portal).status == SiteStatus.ONLINE
    assert SiteChange.objects.get().status == ChangeStatus.REJECTED


def test_a_planned_site_opens_only_with_valid_identifiers(portal, people):
    org = testing.make_organisation("示例市文旅局", kind="department", parent=portal.host_organisation)
    site = testing.make_site(name="示例市文旅局", kind="department", organisation=org,
                             domain="wlj.shili.gov.cn", hostname="wlj.localhost", portal=portal,
                             is_default=False)
    type(site).objects.filter(pk=site.pk).update(status="planned", police_number="")
    site.refresh_from_db()
    asker, approver = people
    with pytest.raises(ChangeRefused, match="公安机关备案号"):
        request_site_change(site=site, action="open", justification="新开设", acting_user=asker)
    type(site).objects.filter(pk=site.pk).update(police_number="粤公网安备 44140202000002号")
    site.refresh_from_db()
    with pytest.raises(ChangeRefused, match="党政机关网站标识、域名注册"):  # ID-03 管理备案
        request_site_change(site=site, action="open", justification="新开设", acting_user=asker)
    for kind in ("conac_mark", "domain"):
        record_filing(site=site, kind=kind, filed_on=TODAY, reference="备案", acting_user=None)
    change = request_site_change(site=site, action="open", justification="新开设",
                                 acting_user=asker)
    decide_site_change(change=change, approve=True, acting_user=approver)
    assert refresh(site).status == SiteStatus.ONLINE


def test_a_migrated_site_redirects_every_address_to_the_new_site(portal, department_site, people,
                                                                 client):
    asker, approver = people
    change = request_site_change(site=department_site, action="migrate", justification="整合",
                                 acting_user=asker, target=portal, notice="已并入门户网站")
    decide_site_change(change=change, approve=True, acting_user=approver)
    response = client.get("/jyxw/2026/1.html?x=1", HTTP_HOST="jyj.localhost")
    assert response.status_code == 301
    assert response["Location"] == f"https://{portal.domain}/jyxw/2026/1.html?x=1"
    config = http_config(NginxOptions())
    assert f"return 301 https://{portal.domain}$request_uri;" in config


def test_a_closed_site_shows_its_notice_for_the_notice_period_then_410(department_site, people,
                                                                      client, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # notice at least 30 days
    asker, approver = people
    change = request_site_change(site=department_site, action="close", justification="撤并",
                                 acting_user=asker, notice="原有内容已移至门户网站。")
    decide_site_change(change=change, approve=True, acting_user=approver)
    response = client.get("/", HTTP_HOST="jyj.localhost")
    assert response.status_code == 200 and "原有内容已移至门户网站" in response.content.decode()
    later = lifecycle.state_for(refresh(department_site), today=TODAY + dt.timedelta(days=30))
    assert later is not None and later.mode == "gone"
    assert "server_name jyj.localhost" in http_config(NginxOptions())
    assert lifecycle.nginx_overrides() == {"jyj.localhost": "app"}


def test_suspensions_near_their_planned_end_are_listed_for_reminders(department_site, people):
    suspend(department_site, people, 10)
    assert lifecycle.overdue_suspensions(today=TODAY) == []
    assert [c.site for c in lifecycle.overdue_suspensions(today=TODAY + dt.timedelta(days=7))] == [
        department_site]


def test_the_admin_screen_takes_a_request_and_a_supervisor_approves_it(department_site, people):
    from .helpers import client_for

    asker = make_user(department_site.host_organisation, Role.SITE_ADMIN)
    approver = people[1]
    client_for(asker).post("/admin/operations/site-changes/", {
        "site": department_site.pk, "action": "suspend", "justification": "机房搬迁",
        "notice": "机房搬迁，暂停访问。", "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=3)).isoformat(), "counted": "on"})
    change = SiteChange.objects.get()
    refused = client_for(asker).post(f"/admin/operations/site-changes/{change.pk}/approve/")
    assert refused.status_code == 302 and refresh(department_site).status == SiteStatus.ONLINE
    client_for(approver).post(f"/admin/operations/site-changes/{change.pk}/approve/")
    assert refresh(department_site).status == SiteStatus.TEMP_OFFLINE
