"""离岗交接: one action disables the account and hands columns and reviews to a colleague."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from govsites import testing
from govsites.accounts import services
from govsites.accounts.exceptions import DepartureRefused
from govsites.accounts.roles import Role, group_name
from govsites.accounts.selectors import pending_reviews_for
from govsites.accounts.signals import user_departed
from govsites.content.models import ColumnPage
from govsites.core.models import AuditRecord

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(host_org: Any) -> Any:
    return make_user(host_org, Role.REVIEWER, real_name="张离岗")


@pytest.fixture
def successor(host_org: Any) -> Any:
    return make_user(host_org, Role.REVIEWER, real_name="李接替")


def _column_with_responsible(portal_home: Any, person: Any, title: str = "通知公告") -> Any:
    from govsites.content.services import create_column

    return create_column(parent=portal_home, title=title, column_type="通知公告",
                         description="d", keywords="k", acting_user=None,
                         responsible_person=person)


def _review_in_progress(column: Any, requester: Any) -> Any:
    task = GroupApprovalTask.objects.create(name="初审")
    task.groups.set([Group.objects.get(name=group_name(Role.REVIEWER))])
    workflow = Workflow.objects.create(name="三审")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    item = testing.make_article(column, publish=False, title="待审文章")
    workflow.start(item, requester)
    return item


def test_departure_disables_the_account_so_it_can_no_longer_log_in(
        client: Any, leaver: Any, successor: Any) -> None:
    services.handle_departure(user=leaver, successor=successor, acting_user=None,
                              reason="调离")
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.departed_at is not None
    response = client.post("/admin/login/", {"username": leaver.username, "password": PASSWORD})
    assert response.status_code == 200


def test_columns_the_leaver_answered_for_pass_to_the_successor(portal_home: Any, leaver: Any,
                                                               successor: Any) -> None:
    column = _column_with_responsible(portal_home, leaver)
    result = services.handle_departure(user=leaver, successor=successor, acting_user=None,
                                       reason="退休")
    assert result.columns == [column.pk]
    column = ColumnPage.objects.get(pk=column.pk)
    assert column.responsible_person_id == successor.pk
    # The editor opens the latest revision: it must show the successor too.
    assert column.get_latest_revision_as_object().responsible_person_id == successor.pk
    assert not column.has_unpublished_changes


def test_a_column_with_an_unpublished_draft_keeps_the_draft_and_gets_the_successor(
        portal_home: Any, leaver: Any, successor: Any) -> None:
    column = _column_with_responsible(portal_home, leaver)
    draft = ColumnPage.objects.get(pk=column.pk)
    draft.description = "草稿中的新描述"
    draft.save_revision()
    services.handle_departure(user=leaver, successor=successor, acting_user=None,
                              reason="退休")
    column = ColumnPage.objects.get(pk=column.pk)
    latest = column.get_latest_revision_as_object()
    assert latest.description == "草稿中的新描述"
    assert latest.responsible_person_id == successor.pk
    assert column.responsible_person_id == successor.pk
    assert column.description != "草稿中的新描述"


def test_pending_reviews_of_the_leaver_are_listed_and_announced(
        portal_home: Any, news_column: Any, host_org: Any, leaver: Any,
        successor: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    _review_in_progress(news_column, editor)
    pending = pending_reviews_for(leaver)
    assert len(pending) == 1
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    user_departed.connect(receiver, dispatch_uid="test_departure_receiver")
    try:
        result = services.handle_departure(user=leaver, successor=successor,
                                           acting_user=None, reason="调离")
    finally:
        user_departed.disconnect(dispatch_uid="test_departure_receiver")
    assert result.pending_reviews == [pending[0].pk]
    assert received[0]["successor"] == successor
    assert [s.pk for s in received[0]["pending_reviews"]] == [pending[0].pk]


def test_reviews_of_another_organisation_are_not_the_leavers(
        news_column: Any, host_org: Any, other_org: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    _review_in_progress(news_column, editor)
    outsider = make_user(other_org, Role.REVIEWER)
    assert pending_reviews_for(outsider) == []


def test_the_departure_writes_exactly_one_audit_record(portal_home: Any, leaver: Any,
                                                       successor: Any) -> None:
    _column_with_responsible(portal_home, leaver)
    before = AuditRecord.objects.count()
    services.handle_departure(user=leaver, successor=successor, acting_user=None,
                              reason="调离")
    records = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in records] == ["accounts.user.depart"]
    assert records[0].details["successor"] == successor.pk
    assert records[0].details["reason"] == "调离"


def test_a_successor_lacking_the_leavers_roles_is_reported(host_org: Any,
                                                           leaver: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    result = services.handle_departure(user=leaver, successor=editor, acting_user=None,
                                       reason="调离")
    assert result.successor_missing_roles == ["审核负责人"]


@pytest.mark.parametrize("case", ["other_org", "self", "inactive", "no_reason"])
def test_departure_is_refused_with_a_reason(case: str, leaver: Any, successor: Any,
                                            other_org: Any) -> None:
    reason = "调离"
    chosen = successor
    if case == "other_org":
        chosen = make_user(other_org, Role.REVIEWER)
    elif case == "self":
        chosen = leaver
    elif case == "inactive":
        successor.is_active = False
        successor.save()
    else:
        reason = " "
    with pytest.raises(DepartureRefused) as refusal:
        services.handle_departure(user=leaver, successor=chosen, acting_user=None,
                                  reason=reason)
    assert str(refusal.value)
    leaver.refresh_from_db()
    assert leaver.is_active


def test_a_site_administrator_handles_a_departure_from_the_user_list(
        client: Any, host_org: Any, leaver: Any,
        successor: Any) -> None:
    admin = make_user(host_org, Role.SITE_ADMIN, Role.PLATFORM_ADMIN)
    client.force_login(admin)
    session = client.session
    session["govsites_totp_verified"] = True
    session.save()
    url = reverse("govsites_accounts:departure", args=[leaver.pk])
    assert url in client.get("/admin/users/").content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"successor": successor.pk, "reason": "调任他职"})
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    record = AuditRecord.objects.filter(action="accounts.user.depart").get()
    assert record.actor_id == admin.pk


def test_a_site_administrator_of_another_organisation_may_not_handle_it(
        client: Any, other_org: Any, leaver: Any) -> None:
    admin = make_user(other_org, Role.SITE_ADMIN)
    client.force_login(admin)
    session = client.session
    session["govsites_totp_verified"] = True
    session.save()
    response = client.get(reverse("govsites_accounts:departure", args=[leaver.pk]))
    assert response.status_code in (302, 403)
    leaver.refresh_from_db()
    assert leaver.is_active


def test_a_site_administrator_lists_own_colleagues_and_lifts_a_lock(
        client: Any, host_org: Any, other_org: Any,
        leaver: Any) -> None:
    admin = make_user(host_org, Role.SITE_ADMIN)
    stranger = make_user(other_org, Role.EDITOR, real_name="外单位人员")
    for _attempt in range(5):
        services.record_login_failure(username=leaver.username)
    client.force_login(admin)
    session = client.session
    session["govsites_totp_verified"] = True
    session.save()
    url = reverse("govsites_accounts:organisation_accounts")
    page = client.get(url).content.decode()
    assert "张离岗" in page and "外单位人员" not in page and "已锁定" in page
    client.post(url, {"user": leaver.pk, "action": "unlock"})
    assert services.locked_until(leaver.username) is None
    response = client.post(url, {"user": stranger.pk, "action": "unlock"})
    assert response.status_code in (302, 403)
    assert AuditRecord.objects.filter(action="accounts.auth.unlock",
                                      actor_id=admin.pk).count() == 1


def test_an_editor_has_no_account_list(client: Any,
                                       host_org: Any) -> None:
    client.force_login(make_user(host_org, Role.EDITOR))
    response = client.get(reverse("govsites_accounts:organisation_accounts"))
    assert response.status_code in (302, 403)
