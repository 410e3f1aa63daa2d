"""The review chain in the admin: 我的待办, the findings modal, no plain publish under the
chain, force publication with its reason and report, and each site's policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from govsites.accounts import totp
from govsites.workflow import selectors
from govsites.workflow.models import ForcePublication, ReviewPolicy, RoleReviewTask

from .conftest import VALID_ID, current_state, current_step_name, draft, make_person, submit

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _refused(response: Any) -> bool:
    """Wagtail's admin answers PermissionDenied by sending the user to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def admin_client(user: Any, *codenames: str) -> Client:
    """Log a user into the admin with the second factor passed and the given permissions."""
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        app_label, name = codename.split(".")
        user.user_permissions.add(Permission.objects.get(codename=name,
                                                         content_type__app_label=app_label))
    client = Client()
    client.force_login(user)
    session = client.session
    session[totp.SESSION_VERIFIED_KEY] = True
    session.save()
    return client


@pytest.fixture
def superuser(cluster: Any) -> Any:
    from govsites.accounts.services import create_user

    from .conftest import PASSWORD

    return create_user(username="root", password=PASSWORD, real_name="平台管理员",
                       mobile="13900000000", organisation=cluster.government, acting_user=None,
                       is_superuser=True)


def test_my_tasks_page_lists_pending_reviews_overdue_first(cluster: Any) -> None:
    from django.utils import timezone

    from govsites.workflow.models import ReviewTaskState

    later, overdue = draft(cluster.dept_column, title="后到期的通知"), \
        draft(cluster.dept_column, title="超期的通知")
    for item in (later, overdue):
        submit(item, cluster.dept_editor)
    ReviewTaskState.objects.filter(pk=current_state(overdue).pk).update(
        due_on=timezone.localdate() - timezone.timedelta(days=3))

    response = admin_client(cluster.dept_reviewer).get(reverse("govsites_workflow:my_tasks"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("超期的通知") < html.index("后到期的通知")
    assert "已超期" in html
    assert reverse("wagtailadmin_pages:workflow_action",
                   args=[later.pk, "approve", current_state(later).pk]) in html


def test_my_tasks_page_shows_the_submitters_items(cluster: Any) -> None:
    item = draft(cluster.dept_column, title="我提交的通知")
    submit(item, cluster.dept_editor)

    html = admin_client(cluster.dept_editor).get(
        reverse("govsites_workflow:my_tasks")).content.decode()

    assert "我提交的通知" in html
    assert "审核负责人审核" in html
    assert "教育局审核负责人" in html


def test_dashboard_shows_my_tasks_instead_of_wagtails_workflow_panels(cluster: Any) -> None:
    item = draft(cluster.dept_column, title="待审的通知")
    submit(item, cluster.dept_editor)

    html = admin_client(cluster.dept_reviewer).get(reverse("wagtailadmin_home")).content.decode()

    assert "我的待办" in html
    assert "待审的通知" in html
    assert 'id="awaiting-review"' not in html


def test_screening_modal_lists_findings_and_refuses_approval_without_reasons(
        cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    state = current_state(item)
    finding = selectors.open_findings(state)[0]
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", state.pk])
    client = admin_client(cluster.dept_reviewer)

    modal = client.get(url, **XHR)
    assert modal.status_code == 200
    body = modal.json()["html"]
    assert "110101********1233" in body
    assert f'name="override_{finding.pk}"' in body
    assert VALID_ID not in body

    refused = client.post(url, {"task_state_id": state.pk, f"override_{finding.pk}": ""}, **XHR)
    assert refused.json()["step"] == "action"
    assert "请填写忽略此问题的理由" in refused.json()["html"]
    assert current_step_name(item) == "内容检查"

    accepted = client.post(url, {"task_state_id": state.pk,
                                 f"override_{finding.pk}": "示例号码，非真实信息"}, **XHR)
    assert accepted.json()["step"] == "success"
    assert current_step_name(item) == "审核负责人审核"


def test_submitter_gets_no_workflow_action(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    state = current_state(item)
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", state.pk])

    response = admin_client(cluster.dept_editor).post(url, {"task_state_id": state.pk}, **XHR)

    assert response.status_code == 403
    assert current_step_name(item) == "审核负责人审核"


def test_last_step_modal_says_why_the_item_cannot_be_published(cluster: Any) -> None:
    from .conftest import act

    item = draft(cluster.dept_column, disclosure_mode="not_disclosed")
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)
    state = current_state(item)
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", state.pk])

    response = admin_client(cluster.dept_deputy).post(url, {"task_state_id": state.pk}, **XHR)

    assert response.json()["step"] == "action"
    assert "不予公开" in response.json()["html"]


def test_editor_of_a_reviewed_item_has_no_plain_publish_button(cluster: Any,
                                                               superuser: Any) -> None:
    item = draft(cluster.dept_column)

    html = admin_client(superuser).get(
        reverse("wagtailadmin_pages:edit", args=[item.pk])).content.decode()

    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html
    assert reverse("govsites_workflow:force_publish", args=[item.pk]) in html


def test_plain_publish_posted_anyway_is_refused(cluster: Any, superuser: Any) -> None:
    item = draft(cluster.dept_column)
    client = admin_client(superuser)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
    data = {key: value for key, value in _form_data(edit.content.decode()).items()}
    data["action-publish"] = "publish"

    response = client.post(reverse("wagtailadmin_pages:edit", args=[item.pk]), data,
                           follow=True)

    item.refresh_from_db()
    assert not item.live
    assert "先审后发" in response.content.decode()


def _form_data(html: str) -> dict[str, str]:
    """Read the edit form's inputs (enough of them for the publish action to validate)."""
    import re
    from html import unescape

    data: dict[str, str] = {}
    for match in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', html):
        tag = match.group(0)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[match.group(1)] = unescape(value.group(1)) if value else ""
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[match.group(1)] = unescape(match.group(2))
    for match in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = selected.group(1) if selected else ""
    return data


def test_force_publish_form_requires_a_reason_then_publishes(cluster: Any) -> None:
    officer = make_person("jyj_duty", cluster.department)
    client = admin_client(officer, "govsites_workflow.force_publish")
    item = draft(cluster.dept_column, title="紧急通知")
    url = reverse("govsites_workflow:force_publish", args=[item.pk])

    assert "强制发布理由" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "强制发布必须填写理由" in refused.content.decode()
    item.refresh_from_db()
    assert not item.live

    done = client.post(url, {"reason": "防汛紧急通知"})

    item.refresh_from_db()
    assert done.status_code == 302
    assert item.live
    assert ForcePublication.objects.get().reason == "防汛紧急通知"


def test_force_publish_view_refuses_without_the_permission(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    response = admin_client(cluster.dept_deputy).post(
        reverse("govsites_workflow:force_publish", args=[item.pk]), {"reason": "紧急"})
    item.refresh_from_db()
    assert response.status_code == 302
    assert not item.live


def test_report_lists_force_publications_until_someone_else_approves(cluster: Any) -> None:
    from govsites.workflow import services

    officer = make_person("jyj_duty", cluster.department)
    admin_client(officer, "govsites_workflow.force_publish")
    officer = type(officer).objects.get(pk=officer.pk)
    record = services.force_publish(item=draft(cluster.dept_column, title="强发的通知"),
                                    reason="紧急", acting_user=officer)
    client = admin_client(cluster.dept_head, "govsites_workflow.approve_force_publication")
    url = reverse("govsites_workflow:force_publications")

    listed = client.get(url).content.decode()
    assert "强发的通知" in listed and "事后审批" in listed

    client.post(url, {"record": record.pk, "comment": "情况属实"})

    record.refresh_from_db()
    assert record.retrospective_approved_by == cluster.dept_head
    assert not selectors.force_publications_awaiting_approval().exists()


def test_report_is_closed_to_people_without_the_permissions(cluster: Any) -> None:
    response = admin_client(cluster.dept_editor).get(
        reverse("govsites_workflow:force_publications"))
    assert _refused(response)


def test_site_policy_is_edited_in_the_admin(cluster: Any, superuser: Any) -> None:
    deputy_step = RoleReviewTask.objects.get(name="分管领导审核")
    url = reverse("govsites_workflow:review_policy_edit", args=[cluster.department_site.pk])
    client = admin_client(superuser)

    assert "分管领导审核" in client.get(url).content.decode()
    client.post(url, {"proofreading": "on", f"step_{deputy_step.pk}": "major"})

    policy = ReviewPolicy.objects.get(site=cluster.department_site)
    assert policy.proofreading_enabled
    assert list(policy.steps.values_list("task_id", "applies_from")) == [
        (deputy_step.pk, "major")]


def test_findings_page_is_for_the_steps_people_only(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    url = reverse("govsites_workflow:findings", args=[current_state(item).pk])

    assert admin_client(cluster.dept_reviewer).get(url).status_code == 200
    assert admin_client(cluster.dept_editor).get(url).status_code == 200
    assert _refused(admin_client(cluster.gov_reviewer).get(url))


def test_new_item_under_the_chain_is_created_without_a_plain_publish_button(
        cluster: Any, superuser: Any) -> None:
    url = reverse("wagtailadmin_pages:add",
                  args=["content", "articlepage", cluster.dept_column.pk])
    html = admin_client(superuser).get(url).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_new_column_keeps_its_publish_button(cluster: Any, superuser: Any) -> None:
    # Under the site home: a 工作动态 column takes no sub-columns (content/data/column_children.json).
    home = cluster.dept_column.get_parent()
    url = reverse("wagtailadmin_pages:add", args=["content", "columnpage", home.pk])
    html = admin_client(superuser).get(url).content.decode()
    assert 'name="action-publish"' in html


def test_bulk_publication_of_items_under_the_chain_is_refused(cluster: Any,
                                                              superuser: Any) -> None:
    item = draft(cluster.dept_column)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])

    response = admin_client(superuser).post(f"{url}?id={item.pk}", {}, follow=True)

    item.refresh_from_db()
    assert not item.live
    assert "先审后发" in response.content.decode()
