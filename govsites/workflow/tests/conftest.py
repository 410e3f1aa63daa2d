"""Fixtures for the review chain: a city government, one of its departments, the people who
hold the roles in each, and helpers to submit an item and act on its current step."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from govsites import testing
from govsites.accounts.roles import Role, group_name
from govsites.workflow import services

VALID_ID = "110101199003071233"  # a resident ID number with a valid check digit
PASSWORD = "Review-Chain-2026!"
_mobiles = itertools.count(13800000000)


def make_person(username: str, organisation: Any, *roles: Role, real_name: str = "") -> Any:
    from govsites.accounts.services import create_user

    groups = [Group.objects.get_or_create(name=group_name(role))[0] for role in roles]
    return create_user(username=username, password=PASSWORD, real_name=real_name or username,
                       mobile=str(next(_mobiles)), organisation=organisation, acting_user=None,
                       groups=groups)


@dataclass
class Cluster:
    """The people of a city government (市政府) and one department (教育局)."""

    portal: Any
    department_site: Any
    government: Any
    department: Any
    dept_column: Any
    portal_column: Any
    dept_editor: Any
    dept_editor2: Any
    dept_reviewer: Any
    dept_deputy: Any
    dept_head: Any
    gov_editor: Any
    gov_reviewer: Any
    gov_deputy: Any
    gov_deputy2: Any
    gov_head: Any


@pytest.fixture
def cluster(portal: Any, department_site: Any) -> Cluster:
    government = portal.host_organisation
    department = department_site.host_organisation
    for site in (portal, department_site):
        services.ensure_default_workflow(site_root=site.site.root_page, acting_user=None)
    dept_column = testing.make_column(department_site.site.root_page.specific, title="工作动态",
                                      column_type="工作动态")
    portal_column = testing.make_column(portal.site.root_page.specific, title="通知公告",
                                        column_type="通知公告")
    return Cluster(
        portal=portal, department_site=department_site, government=government,
        department=department, dept_column=dept_column, portal_column=portal_column,
        dept_editor=make_person("jyj_editor", department, Role.EDITOR, real_name="教育局信息员"),
        dept_editor2=make_person("jyj_editor2", department, Role.EDITOR,
                                 real_name="教育局信息员二"),
        dept_reviewer=make_person("jyj_reviewer", department, Role.REVIEWER,
                                  real_name="教育局审核负责人"),
        dept_deputy=make_person("jyj_deputy", department, Role.DEPUTY_HEAD,
                                real_name="教育局分管领导"),
        dept_head=make_person("jyj_head", department, Role.HEAD, real_name="教育局主要领导"),
        gov_editor=make_person("szf_editor", government, Role.EDITOR, real_name="市政府信息员"),
        gov_reviewer=make_person("szf_reviewer", government, Role.REVIEWER,
                                 real_name="市政府审核负责人"),
        gov_deputy=make_person("szf_deputy", government, Role.DEPUTY_HEAD,
                               real_name="市政府分管领导"),
        gov_deputy2=make_person("szf_deputy2", government, Role.DEPUTY_HEAD,
                                real_name="市政府分管领导二"),
        gov_head=make_person("szf_head", government, Role.HEAD, real_name="市政府主要领导"),
    )


def draft(column: Any, *, importance: str = "normal", body: str = "<p>正文内容。</p>",
          title: str = "关于开展安全检查的通知", **fields: Any) -> Any:
    """Return an unpublished item in a column."""
    return testing.make_article(column, title=title, body=body, importance=importance,
                                publish=False, **fields)


def submit(item: Any, user: Any) -> WorkflowState:
    """Submit an item for review as Wagtail's 提交审核 does."""
    item.save_revision(user=user)
    workflow = item.get_workflow()
    assert workflow is not None
    state = workflow.start(item, user)
    return state


def current_state(item: Any) -> Any:
    """Return the item's current step state (specific), or None."""
    item.refresh_from_db()
    return item.current_workflow_task_state


def act(item: Any, user: Any, action: str = "approve", **data: Any) -> None:
    """Act on the item's current step the way Wagtail's workflow action view does."""
    state = current_state(item)
    assert state is not None, "the item is not at a review step"
    if action == "approve":  # a reviewer at a 保密审查 step ticks its confirmation
        data.setdefault("secrecy_confirmed", True)
    state.task.specific.on_action(state, user, action, **data)


def current_step_name(item: Any) -> str | None:
    state = current_state(item)
    return state.task.name if state is not None else None


def walk(item: Any, approvers: dict[str, Any]) -> list[str]:
    """Approve the item's steps one by one with the named approvers; return the steps met."""
    met: list[str] = []
    for _ in range(20):
        name = current_step_name(item)
        if name is None:
            return met
        met.append(name)
        act(item, approvers[name])
    raise AssertionError("the chain did not finish")


@pytest.fixture
def approvers(cluster: Cluster) -> Callable[[str], dict[str, Any]]:
    """Return who approves each step for an item owned by the department or the government."""

    def for_owner(owner: str) -> dict[str, Any]:
        local = {"department": (cluster.dept_reviewer, cluster.dept_deputy, cluster.dept_editor2),
                 "government": (cluster.gov_reviewer, cluster.gov_deputy, cluster.gov_editor)}
        reviewer, deputy, editor = local[owner]
        return {"内容检查": reviewer, "一校": editor, "二校": reviewer, "三校": deputy,
                "审核负责人审核": reviewer, "分管领导审核": deputy,
                "本级政府分管领导审核": cluster.gov_deputy2 if owner == "government"
                else cluster.gov_deputy,
                "本级政府主要领导审核": cluster.gov_head}

    return for_owner
