"""After a review action the admin says where the item went; a held item says why."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from govsites.workflow import selectors

from .conftest import VALID_ID, act, current_state, draft, submit
from .test_admin import XHR, admin_client


def _approve_in_admin(client: Any, item: Any, **data: Any) -> Any:
    state = current_state(item)
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", state.pk])
    answer = client.post(url, {"task_state_id": state.pk, **data}, **XHR).json()
    assert answer["step"] == "success"
    return client.get(answer["redirect"])


def _messages(response: Any) -> list[str]:
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


def test_after_an_approval_the_admin_names_the_next_step_and_who_holds_it(
        cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    client = admin_client(cluster.dept_reviewer)

    response = _approve_in_admin(client, item)

    assert response.status_code == 302
    assert response.url == reverse("govsites_workflow:my_tasks")
    [message] = _messages(response)
    assert "已转到“分管领导审核”" in message
    assert "教育局分管领导" in message and "办理期限" in message


def test_the_last_approval_says_the_item_is_published(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    submit(item, cluster.dept_editor)
    act(item, cluster.dept_reviewer)

    response = _approve_in_admin(admin_client(cluster.dept_deputy), item, secrecy_confirmed="on")

    assert _messages(response) == ["审核通过。该信息已完成全部审核步骤并发布。"]


def test_nobody_else_learns_where_an_item_went(cluster: Any) -> None:
    item = draft(cluster.dept_column)
    workflow_state = submit(item, cluster.dept_editor)
    response = admin_client(cluster.gov_reviewer).get(
        reverse("govsites_workflow:after_review", args=[workflow_state.pk]))
    assert response.status_code == 302 and _messages(response) == []


def test_a_held_item_shows_its_screening_reason_in_its_step(cluster: Any) -> None:
    item = draft(cluster.dept_column, body=f"<p>身份证号{VALID_ID}</p>")
    submit(item, cluster.dept_editor)
    state = current_state(item)

    assert state.task.name == "内容检查"
    assert "内容检查发现1处问题" in state.comment
    [pending] = selectors.pending_reviews_for(cluster.dept_reviewer)
    assert pending.reason == state.comment
    page = admin_client(cluster.dept_reviewer).get(reverse("govsites_workflow:my_tasks"))
    assert state.comment in page.content.decode()
    assert VALID_ID not in state.comment
