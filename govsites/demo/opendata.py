"""Demo open data (数据开放), kept apart from the rest of the demo cluster.

On the portal's 统计局专栏 → 数据发布 column: one dataset whose table is a GBK-encoded CSV,
uploaded, submitted and approved through the review chain by the 统计局's own people, with two
charts; a second upload of a table holding a resident ID number, which is held with the cell
named; and the cluster-wide 数据开放 catalogue page on the portal. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group

from govsites.accounts.models import User
from govsites.accounts.roles import Role, group_name
from govsites.accounts.selectors import users_with_role
from govsites.accounts.services import create_user
from govsites.content.imports import resolve_column
from govsites.content.selectors import find_topic
from govsites.opendata import services
from govsites.opendata.models import DataCatalogPage, DatasetChart, DatasetPage
from govsites.sites.models import Organisation, SiteProfile

DATA = Path(__file__).resolve().parent / "data"


def _users(spec: dict[str, Any], orgs: dict[str, Organisation], password: str,
           say: Any) -> dict[str, User]:
    users = {}
    for row in spec["users"]:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            groups = [Group.objects.get(name=group_name(Role(r))) for r in row["roles"]]
            user = create_user(username=row["username"], password=password,
                               real_name=row["real_name"], mobile=row["mobile"],
                               organisation=orgs[row["org"]], groups=groups, acting_user=None)
            say(f"  账号：{user.username}（{user.real_name}，{orgs[row['org']].name}）")
        users[row["username"]] = user
    return users


def _approve_through_chain(dataset: DatasetPage, say: Any) -> None:
    """Walk the review chain: each step approved by a holder of its role (never the submitter)."""
    for _step in range(12):
        dataset.refresh_from_db()
        state = dataset.current_workflow_task_state
        if state is None:
            return
        state = state.specific
        submitter = dataset.current_workflow_state.requested_by
        reviewer = next((u for u in users_with_role(state.role, state.organisation)
                         if u != submitter), None)
        if reviewer is None:
            say(f"  ⚠ 审核步骤“{state.task.name}”没有审核人，数据集停在此步")
            return
        state.task.specific.on_action(state, reviewer, "approve", comment="演示：同意发布",
                                      secrecy_confirmed=True)
        say(f"    {state.task.name}：{reviewer.real_name} 同意")


def _catalogue(spec: dict[str, Any], sites: dict[str, SiteProfile], say: Any) -> None:
    home = sites[spec["site"]].site.root_page
    if DataCatalogPage.objects.child_of(home).exists():
        return
    page = DataCatalogPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"],
                           show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    say(f"  数据开放目录：{page.url_path}")


def load_opendata(*, sites: dict[str, SiteProfile], orgs: dict[str, Organisation],
                  password: str, say: Any = print) -> None:
    """Build the demo's open data (see the module docstring)."""
    spec = json.loads((DATA / "opendata.json").read_text(encoding="utf-8"))
    users = _users(spec, orgs, password, say)
    editor = users["tjj_editor"]
    _catalogue(spec["catalogue"], sites, say)
    site_key, column_ref = spec["column"]
    column = resolve_column(sites[site_key].site.root_page, column_ref)
    for row in spec["datasets"]:
        if DatasetPage.objects.child_of(column).filter(slug=row["slug"]).exists():
            continue
        start, end = (dt.date.fromisoformat(d) for d in row["temporal"])
        dataset = services.create_dataset(
            column=column, title=row["title"], slug=row["slug"], summary=row["summary"],
            update_frequency=row["update_frequency"], acting_user=editor,
            keywords=row["keywords"], industry=row["industry"], topic=find_topic(row["topic"]),
            license=row["license"], contact_name=row["contact_name"],
            contact_phone=row["contact_phone"], spatial_coverage=row["spatial_coverage"],
            temporal_start=start, temporal_end=end)
        data = (DATA / "opendata" / row["file"]).read_bytes()
        result = services.upload_table(dataset=dataset, resource_name=row["resource"],
                                       filename=row["file"], data=data, acting_user=editor)
        say(f"  数据集：{dataset.title}（{result.version}，编码 {result.version.encoding}，"
            f"{result.version.row_count} 行）")
        # From the database: `dataset` still names the revision before the upload, and a draft
        # built from it would release the dataset without its table.
        draft = DatasetPage.objects.get(pk=dataset.pk).get_latest_revision_as_object()
        draft.charts = [DatasetChart(title=c["title"], kind=c["kind"],
                                     resource_name=row["resource"], x_column=c["x"],
                                     y_columns=c["y"]) for c in row["charts"]]
        services.save_draft(draft, acting_user=editor)
        services.submit_release(dataset=dataset, acting_user=editor)
        _approve_through_chain(dataset, say)
        dataset.refresh_from_db()
        say(f"  {'已发布' if dataset.live else '⚠ 未发布'}：{dataset.url_path}")
        held = services.upload_table(
            dataset=dataset, resource_name=row["held_resource"], filename=row["held_file"],
            data=(DATA / "opendata" / row["held_file"]).read_bytes(), acting_user=editor)
        for cell in held.held_cells:
            say(f"  已扣留 {held.version}：{cell}")

