"""The registry admin saves through sites.services and checks sites.policies."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from wagtail.models import Page, Site

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.sites.admin_views import SITE_FORM_FIELDS
from govsites.sites.models import Organisation, SiteProfile
from govsites.sites.services import (
    ORGANISATION_FIELDS,
    change_site_status,
    update_organisation,
    update_site,
)

pytestmark = pytest.mark.django_db


def _person(username: str, *group_names: str, superuser: bool = False) -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="Pass#1234x", real_name=username, mobile="13800000000",
        is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


@pytest.fixture
def platform_admin(client: Any) -> Any:
    user = _person("pingtai", "平台管理员")
    return testing.login_verified(client, user)


@pytest.fixture
def site_admin(client: Any, portal: Any) -> Any:
    user = _person("zhandian", "站点管理员")
    user.organisation = portal.host_organisation
    user.save()
    return testing.login_verified(client, user)


def _organisation_post(org: Organisation, **changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in model_to_dict(org, fields=ORGANISATION_FIELDS).items()
            if v is not None}
    return data | changes


def _site_post(profile: SiteProfile, **changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in model_to_dict(profile, fields=SITE_FORM_FIELDS).items()
            if v is not None}
    data |= {"hostname": profile.site.hostname, "port": profile.site.port}
    return data | changes


def test_an_admin_edit_of_an_organisation_writes_exactly_one_audit_record(
        platform_admin: Any, portal: Any) -> None:
    org = portal.host_organisation
    before = AuditRecord.objects.count()
    response = platform_admin.post(f"/admin/organisations/edit/{org.pk}/",
                                   _organisation_post(org, phone="0753-7654321"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.phone == "0753-7654321"
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in new] == ["sites.organisation.update"]
    assert new[0].details["after"] == {"phone": "0753-7654321"}
    assert new[0].actor_name == "pingtai"


def test_an_admin_edit_of_a_site_syncs_the_wagtail_site_and_writes_one_record(
        platform_admin: Any, portal: Any) -> None:
    before = AuditRecord.objects.count()
    response = platform_admin.post(
        f"/admin/site_profiles/edit/{portal.pk}/",
        _site_post(portal, name="示例市人民政府门户", hostname="www.localhost", port=8080))
    assert response.status_code == 302
    wagtail_site = Site.objects.get(pk=portal.site_id)
    assert (wagtail_site.site_name, wagtail_site.hostname, wagtail_site.port) == (
        "示例市人民政府门户", "www.localhost", 8080)
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in new] == ["sites.site.update"]
    assert new[0].details["before"]["hostname"] == "localhost"
    assert new[0].details["after"]["port"] == "8080"


def test_the_admin_shows_the_status_read_only_and_ignores_a_posted_one(platform_admin: Any,
                                                                        portal: Any) -> None:
    form = platform_admin.get(f"/admin/site_profiles/edit/{portal.pk}/").context["form"]
    assert form.fields["status"].disabled
    before = AuditRecord.objects.count()
    response = platform_admin.post(f"/admin/site_profiles/edit/{portal.pk}/",
                                   _site_post(portal, status="temp_offline", phone="0753-2222222"))
    assert response.status_code == 302
    portal.refresh_from_db()
    assert (portal.status, portal.status_changed_at, portal.phone) == ("online", None,
                                                                       "0753-2222222")
    new = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in new] == ["sites.site.update"]
    assert "status" not in new[0].details["after"]


def test_the_registry_service_refuses_a_status_change_outside_the_lifecycle(portal: Any) -> None:
    with pytest.raises(ValidationError, match="网站变更申请"):
        update_site(site=portal, acting_user=None, status="retired", phone="0753-3333333")
    portal.refresh_from_db()
    assert (portal.status, portal.phone) == ("online", "0753-1234567")
    update_site(site=portal, acting_user=None, status="online", phone="0753-3333333")
    portal.refresh_from_db()
    assert (portal.status, portal.phone) == ("online", "0753-3333333")


def test_an_admin_site_edit_with_a_taken_hostname_shows_an_error_and_changes_nothing(
        platform_admin: Any, portal: Any, department_site: Any) -> None:
    before = AuditRecord.objects.count()
    response = platform_admin.post(
        f"/admin/site_profiles/edit/{department_site.pk}/",
        _site_post(department_site, hostname="localhost", phone="0753-1111111"))
    assert response.status_code == 200
    assert response.context["form"].errors
    department_site.refresh_from_db()
    assert department_site.phone != "0753-1111111"
    assert Site.objects.get(pk=department_site.site_id).hostname == "jyj.localhost"
    assert AuditRecord.objects.count() == before


def test_an_admin_creates_a_site_through_the_service(platform_admin: Any, portal: Any) -> None:
    org = testing.make_organisation("示例市水利局", kind="department",
                                    parent=portal.host_organisation)
    home = Page.get_first_root_node().add_child(title="水利局", slug="slj")
    before = AuditRecord.objects.count()
    response = platform_admin.post("/admin/site_profiles/new/", {
        "root_page": home.pk, "hostname": "slj.localhost", "port": 80,
        "name": "示例市水利局", "kind": "department", "host_organisation": org.pk,
        "portal": portal.pk, "domain": "slj.shili.gov.cn", "site_code": "4414000099",
        "icp_number": "粤ICP备05080000号-1", "police_number": "粤公网安备 44140202000001号",
        "address": "示例市人民大道2号", "postcode": "514000", "phone": "0753-1234567",
        "email": "web@shili.gov.cn", "status": "online", "operator_name": "",
        "chinese_domain": ""})
    assert response.status_code == 302, response.context["form"].errors
    profile = SiteProfile.objects.get(site_code="4414000099")
    assert (profile.site.hostname, profile.site.site_name) == ("slj.localhost", "示例市水利局")
    assert profile.status == "planned"  # goes online through an approved 开设上线 request
    assert [r.action for r in AuditRecord.objects.order_by("pk")[before:]] == [
        "sites.site.create"]


def test_a_user_without_the_registry_policy_is_refused_in_the_admin(
        site_admin: Any, portal: Any) -> None:
    org = portal.host_organisation
    assert site_admin.get(f"/admin/organisations/edit/{org.pk}/").status_code in (302, 403)
    response = site_admin.post(f"/admin/organisations/edit/{org.pk}/",
                               _organisation_post(org, phone="0753-0000000"))
    assert response.status_code in (302, 403)
    response = site_admin.post(f"/admin/site_profiles/edit/{portal.pk}/",
                               _site_post(portal, hostname="evil.localhost"))
    assert response.status_code in (302, 403)
    org.refresh_from_db()
    assert org.phone != "0753-0000000"
    assert Site.objects.get(pk=portal.site_id).hostname == "localhost"
    assert not AuditRecord.objects.filter(action__startswith="sites.", actor_name="zhandian")


def test_a_user_without_the_registry_policy_is_refused_by_the_services(portal: Any) -> None:
    editor = _person("xinxiyuan", "信息员")
    with pytest.raises(PermissionDenied):
        update_organisation(organisation=portal.host_organisation, acting_user=editor,
                            phone="0753-0000000")
    with pytest.raises(PermissionDenied):
        update_site(site=portal, acting_user=editor, hostname="evil.localhost")
    with pytest.raises(PermissionDenied):
        change_site_status(site=portal, status="retired", acting_user=editor)
    portal.refresh_from_db()
    assert portal.status == "online"


def test_nobody_deletes_a_registry_record_in_the_admin(platform_admin: Any,
                                                       portal: Any) -> None:
    response = platform_admin.post(f"/admin/organisations/delete/{portal.host_organisation.pk}/")
    assert response.status_code in (302, 403)
    assert Organisation.objects.filter(pk=portal.host_organisation.pk).exists()
