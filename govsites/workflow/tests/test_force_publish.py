"""强制发布: its own permission, a mandatory reason, and a retrospective approval that keeps
the record on the report until someone else gives it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.workflow import selectors, services
from govsites.workflow.exceptions import ForcePublishRefused

from .conftest import VALID_ID, current_step_name, draft, make_person, submit


def grant(user: Any, codename: str) -> Any:
    user.user_permissions.add(Permission.objects.get(codename=codename,
                                                     content_type__app_label="govsites_workflow"))
    return type(user).objects.get(pk=user.pk)  # drop Django's permission cache


@pytest.fixture
def duty_officer(cluster: Any) -> Any:
    return grant(make_person("jyj_duty", cluster.department, Role.DUTY_OFFICER), "force_publish")


@pytest.fixture
def approver(cluster: Any) -> Any:
    return grant(cluster.dept_head, "approve_force_publication")


def test_force_publish_publishes_without_the_chain_and_records_why(cluster: Any,
                                                                   duty_officer: Any) -> None:
    item = draft(cluster.dept_column, title="关于台风停课的紧急通知")
    workflow_state = submit(item, cluster.dept_editor)

    record = services.force_publish(item=item, reason="台风红色预警，须立即发布停课通知",
                                    acting_user=duty_officer)

    item.refresh_from_db()
    workflow_state.refresh_from_db()
    assert item.live
    assert workflow_state.status == "cancelled"
    assert record.cancelled_workflow_state == workflow_state
    assert record.submitted_by == cluster.dept_editor
    assert record.awaiting_approval
    assert list(selectors.force_publications_awaiting_approval()) == [record]
    audit = AuditRecord.objects.get(action="workflow.item.force_publish")
    assert audit.details["reason"] == "台风红色预警，须立即发布停课通知"
    assert not AuditRecord.objects.filter(action="workflow.item.cancel").exists()


def test_force_publish_needs_its_own_permission(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    with pytest.raises(ForcePublishRefused, match="没有强制发布的权限"):
        services.force_publish(item=item, reason="紧急", acting_user=cluster.dept_deputy)
    item.refresh_from_db()
    assert not item.live


def test_force_publish_needs_a_reason(cluster: Any, duty_officer: Any) -> None:
    item = draft(cluster.dept_column)
    with pytest.raises(ForcePublishRefused, match="必须填写理由"):
        services.force_publish(item=item, reason="  ", acting_user=duty_officer)
    item.refresh_from_db()
    assert not item.live


def test_force_publish_is_limited_to_the_users_own_organisation(cluster: Any,
                                                                duty_officer: Any) -> None:
    item = draft(cluster.portal_column)
    with pytest.raises(ForcePublishRefused, match="本单位"):
        services.force_publish(item=item, reason="紧急", acting_user=duty_officer)


def test_force_publish_still_refuses_an_item_not_for_proactive_disclosure(
        cluster: Any, duty_officer: Any) -> None:
    item = draft(cluster.dept_column, disclosure_mode="not_disclosed")
    with pytest.raises(ForcePublishRefused, match="不予公开"):
        services.force_publish(item=item, reason="紧急", acting_user=duty_officer)


def test_force_publication_records_what_screening_found(cluster: Any, duty_officer: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    record = services.force_publish(item=item, reason="紧急", acting_user=duty_officer)
    assert record.open_findings == 1
    assert [f.rule_id for f in selectors.findings_of_force_publication(record)] == [
        "privacy.resident_id"]


def test_retrospective_approval_takes_the_record_off_the_report(cluster: Any, duty_officer: Any,
                                                               approver: Any) -> None:
    item = draft(cluster.dept_column)
    record = services.force_publish(item=item, reason="紧急", acting_user=duty_officer)

    services.approve_retrospectively(record=record, acting_user=approver, comment="同意")

    record.refresh_from_db()
    assert record.retrospective_approved_by == approver
    assert record.retrospective_comment == "同意"
    assert not selectors.force_publications_awaiting_approval().exists()
    assert list(selectors.force_publications_approved()) == [record]
    assert AuditRecord.objects.filter(action="workflow.force_publication.approve").count() == 1


def test_whoever_forced_cannot_approve_retrospectively(cluster: Any, duty_officer: Any) -> None:
    both = grant(duty_officer, "approve_force_publication")
    record = services.force_publish(item=draft(cluster.dept_column), reason="紧急",
                                    acting_user=both)
    with pytest.raises(ForcePublishRefused, match="不能事后审批自己的强制发布"):
        services.approve_retrospectively(record=record, acting_user=both)
    record.refresh_from_db()
    assert record.awaiting_approval


def test_submitter_cannot_approve_retrospectively(cluster: Any, duty_officer: Any) -> None:
    submitter = grant(cluster.dept_editor, "approve_force_publication")
    item = draft(cluster.dept_column)
    submit(item, submitter)
    record = services.force_publish(item=item, reason="紧急", acting_user=duty_officer)
    with pytest.raises(ForcePublishRefused, match="提交人"):
        services.approve_retrospectively(record=record, acting_user=submitter)


def test_retrospective_approval_needs_its_permission_and_happens_once(
        cluster: Any, duty_officer: Any, approver: Any) -> None:
    record = services.force_publish(item=draft(cluster.dept_column), reason="紧急",
                                    acting_user=duty_officer)
    # Leaders hold the permission through their role (accounts.role_permissions); a reviewer
    # does not.
    with pytest.raises(ForcePublishRefused, match="没有事后审批"):
        services.approve_retrospectively(record=record, acting_user=cluster.dept_reviewer)
    services.approve_retrospectively(record=record, acting_user=approver)
    with pytest.raises(ForcePublishRefused, match="已经事后审批"):
        services.approve_retrospectively(record=record, acting_user=approver)


def test_last_step_refuses_an_item_that_may_not_be_published(cluster: Any,
                                                             approvers: Any) -> None:
    from govsites.workflow.exceptions import ReviewRefused

    from .conftest import act

    item = draft(cluster.dept_column, disclosure_mode="on_request")
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)  # not the last step: passes

    with pytest.raises(ReviewRefused, match=r"最后一步审核.*依申请公开"):
        act(item, cluster.dept_deputy)

    item.refresh_from_db()
    assert not item.live
    assert current_step_name(item) == "分管领导审核"
