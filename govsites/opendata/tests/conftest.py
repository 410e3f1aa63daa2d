"""Fixtures for open data: a portal with a 统计局 column under the review chain, its people,
and helpers to create a dataset, upload a table and take a release through review."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group

from govsites import testing
from govsites.accounts.roles import Role, group_name
from govsites.opendata import services
from govsites.workflow import services as workflow_services

PASSWORD = "Open-Data-2026!"
_mobiles = itertools.count(13900001000)

GDP_CSV = ("年份,地区,地区生产总值,人口\n"
           "2023,东区,100.5,12\n2023,西区,80.25,9\n2024,东区,110.0,13\n2024,西区,85.5,10\n")
VALID_ID = "110101199003071233"  # a resident ID number with a valid check digit


def make_person(username: str, organisation: Any, *roles: Role) -> Any:
    from govsites.accounts.services import create_user

    groups = [Group.objects.get_or_create(name=group_name(role))[0] for role in roles]
    return create_user(username=username, password=PASSWORD, real_name=username,
                       mobile=str(next(_mobiles)), organisation=organisation, acting_user=None,
                       groups=groups)


@dataclass
class StatsBureau:
    portal: Any
    bureau: Any
    column: Any
    editor: Any
    reviewer: Any
    deputy: Any

    def dataset(self, title: str = "示例市国民经济主要指标", frequency: str = "每年",
                **metadata: Any) -> Any:
        return services.create_dataset(column=self.column, title=title,
                                       summary="历年主要经济指标", update_frequency=frequency,
                                       acting_user=self.editor, keywords="统计,经济", **metadata)

    def upload(self, dataset: Any, data: bytes | str = GDP_CSV, *, name: str = "主要指标",
               filename: str = "指标.csv", encoding: str = "utf-8", **kwargs: Any) -> Any:
        raw = data.encode(encoding) if isinstance(data, str) else data
        return services.upload_table(dataset=dataset, resource_name=name, filename=filename,
                                     data=raw, acting_user=self.editor, **kwargs)

    def release(self, dataset: Any, *, submit: bool = True) -> Any:
        """Submit the draft and approve every step of the chain; return the live dataset."""
        if submit:
            services.submit_release(dataset=dataset, acting_user=self.editor)
        approvers = {"内容检查": self.reviewer, "审核负责人审核": self.reviewer,
                     "分管领导审核": self.deputy}
        for _ in range(10):
            dataset.refresh_from_db()
            state = dataset.current_workflow_task_state
            if state is None:
                break
            state.task.specific.on_action(state.specific, approvers[state.task.name], "approve",
                                          comment="同意", secrecy_confirmed=True)
        dataset.refresh_from_db()
        return dataset


@pytest.fixture(autouse=True)
def opendata_root(settings: Any, tmp_path: Any) -> Any:
    """Each test keeps table files in its own directory (ids repeat after a rollback)."""
    settings.GOVSITES_OPENDATA_ROOT = tmp_path / "opendata"
    return settings.GOVSITES_OPENDATA_ROOT


@pytest.fixture
def bureau(portal: Any) -> StatsBureau:
    workflow_services.ensure_default_workflow(site_root=portal.site.root_page, acting_user=None)
    org = testing.make_organisation("示例市统计局", kind="department",
                                    parent=portal.host_organisation)
    column = testing.make_column(portal.site.root_page.specific, title="数据发布",
                                 column_type="数据发布", owner=org)
    return StatsBureau(portal=portal, bureau=org, column=column,
                       editor=make_person("tjj_editor", org, Role.EDITOR),
                       reviewer=make_person("tjj_reviewer", org, Role.REVIEWER),
                       deputy=make_person("tjj_deputy", org, Role.DEPUTY_HEAD))


@pytest.fixture
def released(bureau: StatsBureau) -> Any:
    """A live dataset with one released table (GDP by year and district)."""
    dataset = bureau.dataset()
    bureau.upload(dataset)
    return bureau.release(dataset)
