import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.core.models import AuditRecord
from govsites.sites.services import change_site_status, update_site


def test_department_site_must_use_a_subdomain_of_its_portal(portal):
    org = testing.make_organisation("示例市水利局", kind="department")
    with pytest.raises(ValidationError) as info:
        testing.make_site(name="示例市水利局", kind="department", organisation=org,
                          domain="slj.other.gov.cn", hostname="slj.localhost", portal=portal,
                          is_default=False)
    assert "domain" in info.value.message_dict


def test_department_site_without_a_portal_is_refused(db):
    org = testing.make_organisation("示例市水利局", kind="department")
    with pytest.raises(ValidationError) as info:
        testing.make_site(name="示例市水利局", kind="department", organisation=org,
                          domain="slj.shili.gov.cn", hostname="slj.localhost", is_default=False)
    assert "portal" in info.value.message_dict


def test_a_bad_registry_edit_changes_nothing(portal):
    before = portal.icp_number
    with pytest.raises(ValidationError):
        update_site(site=portal, acting_user=None, icp_number="备案中")
    portal.refresh_from_db()
    assert portal.icp_number == before


def test_status_changes_are_audited(portal):
    change_site_status(site=portal, status="temp_offline", acting_user=None, reason="维护")
    record = AuditRecord.objects.filter(action="sites.site.status").latest("pk")
    assert record.details == {"from": "online", "to": "temp_offline", "reason": "维护"}


def test_an_organisation_with_an_invalid_credit_code_is_not_saved(db):
    from govsites.sites.models import Organisation
    from govsites.sites.services import create_organisation

    with pytest.raises(ValidationError):
        create_organisation(name="错误单位", credit_code="11441700007280420X", kind="department",
                            acting_user=None)
    assert not Organisation.objects.filter(name="错误单位").exists()
