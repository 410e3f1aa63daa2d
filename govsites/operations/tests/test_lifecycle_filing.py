"""亳州 第8条: short suspensions are filed beforehand, longer ones need the provincial office's
consent (ID-27); resuming is applied for days ahead with a self-check and verified (ID-28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations import lifecycle
from govsites.operations.lifecycle import ChangeRefused, decide_site_change, request_site_change
from govsites.operations.models import SiteChange
from govsites.sites.choices import SiteStatus

from .helpers import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)
CONSENT = "皖政办函〔2026〕12号"


@pytest.fixture
def people(department_site):
    org = department_site.host_organisation
    return make_user(org, Role.SITE_ADMIN), make_user(org, Role.SUPERVISOR)


@pytest.fixture
def bozhou(settings):
    settings.GOVSITES_RULES_VARIANT = "bozhou-2019"  # 24 hours; 7 days ahead


def ask_suspension(site, asker, start, days, **extra):
    return request_site_change(site=site, action="suspend", justification="系统升级",
                               acting_user=asker, notice="系统升级，暂停访问。", starts_on=start,
                               ends_on=start + (days - 1) * DAY, **extra)


def status(site):
    site.refresh_from_db()
    return site.status


def test_a_short_suspension_is_a_prior_filing_and_cannot_be_filed_after_it_starts(
        department_site, people, bozhou):
    asker, approver = people
    with pytest.raises(ChangeRefused, match="须事先书面报备"):
        ask_suspension(department_site, asker, TODAY - DAY, 1)
    assert not SiteChange.objects.exists()
    filing = ask_suspension(department_site, asker, TODAY, 1)  # 24 hours: filing only
    decide_site_change(change=filing, approve=True, acting_user=approver)
    assert status(department_site) == SiteStatus.TEMP_OFFLINE


def test_a_longer_suspension_needs_the_provincial_offices_consent(department_site, people,
                                                                  bozhou, settings):
    asker, approver = people
    with pytest.raises(ChangeRefused, match="超过24小时（申请为48小时）须经省级政府办公厅同意"):
        ask_suspension(department_site, asker, TODAY + DAY, 2)
    change = ask_suspension(department_site, asker, TODAY + DAY, 2, approval_reference=CONSENT)
    assert change.approval_reference == CONSENT
    decide_site_change(change=change, approve=True, acting_user=approver)
    assert status(department_site) == SiteStatus.TEMP_OFFLINE
    settings.GOVSITES_RULES_VARIANT = ""  # nationally: no such step
    assert lifecycle.filing_only_hours(department_site) is None


def test_resuming_is_applied_for_days_ahead_with_a_self_check_and_verified(
        department_site, people, bozhou):
    asker, approver = people
    suspension = ask_suspension(department_site, asker, TODAY, 20, approval_reference=CONSENT)
    decide_site_change(change=suspension, approve=True, acting_user=approver)

    def resume(on, self_check=""):
        return request_site_change(site=department_site, action="resume", acting_user=asker,
                                   justification="升级完成", starts_on=on, self_check=self_check)

    with pytest.raises(ChangeRefused, match="须提前7天申请"):
        resume(TODAY + 6 * DAY, "内容、链接和安全已自查")
    with pytest.raises(ChangeRefused, match="自查情况"):
        resume(TODAY + 7 * DAY)
    change = resume(TODAY + 7 * DAY, "内容、链接和安全已自查")
    with pytest.raises(ChangeRefused, match="核实情况"):
        decide_site_change(change=change, approve=True, acting_user=approver)
    with pytest.raises(ChangeRefused, match="此前不能批准上线"):
        decide_site_change(change=change, approve=True, acting_user=approver, note="已核实")
    assert status(department_site) == SiteStatus.TEMP_OFFLINE
    SiteChange.objects.filter(pk=change.pk).update(starts_on=TODAY)  # the planned day comes
    change.refresh_from_db()
    decide_site_change(change=change, approve=True, acting_user=approver,
                       note="已核实：首页、栏目和检索正常")
    assert status(department_site) == SiteStatus.ONLINE


def test_the_reminder_comes_early_enough_to_apply_for_resumption(department_site, people,
                                                                 bozhou, settings):
    asker, approver = people
    change = ask_suspension(department_site, asker, TODAY, 20, approval_reference=CONSENT)
    decide_site_change(change=change, approve=True, acting_user=approver)
    # planned end TODAY+19: reminded 7 (application) + 3 days before it
    assert lifecycle.overdue_suspensions(today=TODAY + 8 * DAY) == []
    assert lifecycle.overdue_suspensions(today=TODAY + 9 * DAY) == [change]
    settings.GOVSITES_RULES_VARIANT = ""
    assert lifecycle.overdue_suspensions(today=TODAY + 9 * DAY) == []
