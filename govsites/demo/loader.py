"""Build the demo cluster (示例市) through the same services and import path users use.

Idempotent: organisations, sites, columns and users are matched by their natural keys and
items by external id, so running it twice changes nothing and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from govsites.accounts.models import User
from govsites.accounts.roles import Role, group_name
from govsites.accounts.services import create_user
from govsites.content.imports import read_file, resolve_column
from govsites.content.models import ColumnPage, ContentItem, ImportedItem
from govsites.content.services import (
    change_validity,
    create_column,
    create_site_home,
    import_items,
    reprint_item,
)
from govsites.core import audit
from govsites.sites.models import Organisation, SiteProfile
from govsites.sites.services import create_organisation, create_site, remove_placeholder_sites
from govsites.sites.validators import credit_code_check_char
from govsites.workflow.services import ensure_default_workflow

DATA = Path(__file__).resolve().parent / "data"
Say = Callable[[str], None]


def load_cluster_spec() -> dict[str, Any]:
    """Read the demo cluster's description (organisations, sites, columns, users)."""
    spec: dict[str, Any] = json.loads((DATA / "cluster.json").read_text(encoding="utf-8"))
    return spec


def _credit_code(region: str, body: str) -> str:
    first17 = f"11{region}{body}"
    return first17 + credit_code_check_char(first17)


def ensure_organisations(spec: dict[str, Any], say: Say) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for row in spec["organisations"]:
        code = _credit_code(row.get("region_code", spec["region_code"]), row["body"])
        org = Organisation.objects.filter(credit_code=code).first()
        if org is None:
            org = create_organisation(name=row["name"], short_name=row.get("short_name", ""),
                                      credit_code=code, kind=row["kind"],
                                      parent=orgs.get(row.get("parent", "")), acting_user=None)
            say(f"  单位：{org.name}（{org.credit_code}）")
        orgs[row["key"]] = org
    return orgs


def _ensure_columns(parent: Page, columns: list[dict[str, Any]], orgs: dict[str, Organisation],
                    say: Say) -> None:
    for row in columns:
        column = ColumnPage.objects.child_of(parent).filter(slug=row["slug"]).first()
        if column is None:
            column = create_column(
                parent=parent, title=row["title"], slug=row["slug"], column_type=row["type"],
                description=row["description"], keywords=row["keywords"], acting_user=None,
                owner_organisation=orgs.get(row.get("owner", "")))
            say(f"    栏目：{column.title}（{column.column_type}）")
        _ensure_columns(column, row.get("children", []), orgs, say)


def ensure_sites(spec: dict[str, Any], orgs: dict[str, Organisation], port: int,
                 say: Say) -> dict[str, SiteProfile]:
    sites: dict[str, SiteProfile] = {}
    for row in spec["sites"]:
        profile = SiteProfile.objects.filter(domain=row["domain"]).first()
        if profile is None:
            remove_placeholder_sites(hostname=row["hostname"], port=port)
            home = create_site_home(title=row["name"], slug=row["domain"].replace(".", "-"),
                                    intro=row.get("intro", ""), acting_user=None)
            profile = create_site(
                root_page=home, hostname=row["hostname"], port=port,
                is_default_site=bool(row.get("default")), acting_user=None,
                name=row["name"], kind=row["kind"], host_organisation=orgs[row["host"]],
                operator_name=row.get("operator", ""), portal=sites.get(row.get("portal", "")),
                domain=row["domain"], chinese_domain=row.get("chinese_domain", ""),
                site_code=row["site_code"], icp_number=row["icp"], police_number=row["police"],
                address=row["address"], postcode=row.get("postcode", ""), phone=row["phone"],
                email=row.get("email", ""), status="online")
            say(f"  网站：{profile.name}  {profile.domain}（本机访问 http://{row['hostname']}:{port}/）")
        sites[row["key"]] = profile
        _ensure_columns(profile.site.root_page, row.get("columns", []), orgs, say)
        ensure_default_workflow(site_root=profile.site.root_page, acting_user=None)
    return sites


def ensure_users(spec: dict[str, Any], orgs: dict[str, Organisation], say: Say) -> list[str]:
    hints = []
    for row in spec["users"]:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            groups = [Group.objects.get(name=group_name(Role(r))) for r in row["roles"]]
            user = create_user(username=row["username"], password=spec["demo_password"],
                               real_name=row["real_name"], mobile=row["mobile"],
                               organisation=orgs[row["org"]], groups=groups,
                               is_superuser=bool(row.get("superuser")), acting_user=None)
            say(f"  账号：{user.username}（{user.real_name}，{orgs[row['org']].name}）")
        _enrol_demo_totp(user)
        roles = "、".join(str(Role(r).label) for r in row["roles"])
        hints.append(f"{row['username']:<16} {row['real_name']}　{orgs[row['org']].short_name} · {roles}")
    return hints


def _enrol_demo_totp(user: User) -> None:
    """Give demo reviewers, leaders and admins a confirmed authenticator.

    Real accounts enrol on first login with their own app; for the demo, `govsites demo_totp
    USER` prints the current code instead, so the demo needs no phone.
    """
    from govsites.accounts import totp
    from govsites.accounts.models import TOTPDevice
    from govsites.accounts.policies import requires_totp
    from govsites.accounts.services import confirm_totp, start_totp_enrolment

    if not requires_totp(user):
        return
    if TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return
    device = start_totp_enrolment(user=user)
    # Confirm with the previous time step's code so the current one is still unused.
    earlier = timezone.now() - dt.timedelta(seconds=30)
    confirm_totp(user=user, code=totp.code_for(device.secret, now=earlier))


def demo_usernames() -> set[str]:
    """The accounts the demo creates (the only ones demo_totp will answer for)."""
    return {row["username"] for row in load_cluster_spec()["users"]}


def _days_ago(days: float) -> str:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=9, minute=30, second=0, microsecond=0).strftime("%Y-%m-%d %H:%M")


def _import_jsonl(profile: SiteProfile, lines: list[dict[str, Any]], say: Say) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines),
                        encoding="utf-8")
        records = read_file(path, site_root=profile.site.root_page, default_column=None)
        summary = import_items(records=records, site_root=profile.site.root_page,
                               acting_user=None)
    say(f"  {profile.name}：新建 {summary.created} 条，更新 {summary.updated} 条，"
        f"未变化 {summary.unchanged} 条")
    for _line, title, reason in summary.held:
        say(f"  ⚠ 未发布《{title}》：{reason}")


def _item_lines(key: str, reprints: list[tuple[str, str, str, str]],
                extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    path = DATA / "items" / f"{key}.jsonl"
    rows = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()
            if text.strip()] if path.exists() else []
    lines = []
    for row in rows + [dict(r) for r in extra or []]:
        days_ago = row.pop("days_ago", None)
        if days_ago is not None and not ImportedItem.objects.filter(
                external_id=row["external_id"]).exists():
            # Demo dates are relative to the first load so the demo never looks stale; a
            # re-run leaves them alone (发布日期 is immutable once set).
            row["published_at"] = _days_ago(days_ago)
        for target_site, target_column in row.pop("reprint_to", []):
            reprints.append((key, row["external_id"], target_site, target_column))
        lines.append(row)
    return lines


def _seed_lines() -> tuple[str, list[dict[str, Any]]]:
    """Other cities' regulations, reprinted (转载) as what they are: their issuing body, 发文字号
    and dates, their portal as 来源, their document structure kept (demo/documents.py)."""
    from .documents import regulation_html

    seeds = json.loads((DATA / "seeds.json").read_text(encoding="utf-8"))
    lines = []
    for doc in seeds["documents"]:
        body = (DATA / "seeds" / doc["file"]).read_text(encoding="utf-8")
        record: dict[str, Any] = {
            "type": "policy", "external_id": doc["external_id"], "column": seeds["column"],
            "title": doc["title"], "body": regulation_html(body), "body_format": "html",
            "metadata": {"topic": "综合政务\\电子政务", "source": doc["source_site"],
                         "source_url": doc["source_url"],
                         "publisher": "示例市政务服务数据管理局", "keywords": "政府网站,管理办法"},
            "fields": {"issuing_authority": doc["issuing_authority"],
                       "document_number": doc["document_number"],
                       "written_date": doc["written_date"]},
        }
        if doc.get("published_at") and not ImportedItem.objects.filter(
                external_id=doc["external_id"]).exists():
            record["published_at"] = doc["published_at"]  # 发布日期 is fixed once set
        if doc.get("hold"):
            record["hold"] = doc["hold"]
        lines.append(record)
    return seeds["site"], lines


def load_items(sites: dict[str, SiteProfile], say: Say,
               extra: dict[str, list[dict[str, Any]]] | None = None) -> None:
    reprints: list[tuple[str, str, str, str]] = []
    for key, profile in sites.items():
        lines = _item_lines(key, reprints, (extra or {}).get(key, []))
        if lines:
            _import_jsonl(profile, lines, say)
    seed_site, seed_lines = _seed_lines()
    _import_jsonl(sites[seed_site], seed_lines, say)
    for source_key, external_id, target_key, column_ref in reprints:
        source_root = sites[source_key].site.root_page
        link = ImportedItem.objects.get(site_root_id=source_root.pk, external_id=external_id)
        item = link.page.specific
        column = resolve_column(sites[target_key].site.root_page, column_ref)
        if not ContentItem.objects.child_of(column).filter(alias_of=item).exists():
            reprint_item(item=item, column=column, acting_user=None)
            say(f"  转载：《{item.title}》→ {sites[target_key].name}/{column.title}")


def mark_superseded(sites: dict[str, SiteProfile]) -> None:
    """Link the demo's repealed regulation to the one that replaced it."""
    from govsites.content.models import PolicyDocumentPage

    root = sites["portal"].site.root_page
    old = ImportedItem.objects.filter(site_root_id=root.pk,
                                      external_id="portal-policy-old").first()
    new = ImportedItem.objects.filter(site_root_id=root.pk, external_id="portal-policy-1").first()
    if old and new:
        old_page = old.page.specific
        if isinstance(old_page, PolicyDocumentPage) and old_page.superseded_by_id is None:
            change_validity(policy=old_page, validity=old_page.validity,
                            changed_on=old_page.validity_changed_on or timezone.localdate(),
                            superseded_by=new.page.specific, acting_user=None)


def load_demo(*, port: int = 8000, say: Say = print) -> list[str]:
    """Build or refresh the whole demo cluster; return the login hints."""
    spec = load_cluster_spec()
    with transaction.atomic():
        say("单位：")
        orgs = ensure_organisations(spec, say)
        say("网站与栏目：")
        sites = ensure_sites(spec, orgs, port, say)
        say("账号：")
        hints = ensure_users(spec, orgs, say)
        say("政府信息公开平台：")
        from .disclosure import ensure_platforms

        platform_lines = ensure_platforms(sites, say)
        say("信息（经批量导入流程）：")
        load_items(sites, say, extra=platform_lines)
        mark_superseded(sites)
        from .structured import load_structured_pages

        load_structured_pages(sites=sites, orgs=orgs, say=say)
        say("数据开放：")
        from .opendata import load_opendata

        load_opendata(sites=sites, orgs=orgs, password=spec["demo_password"], say=say)
        say("政民互动：")
        from .interaction import load_interaction

        load_interaction(sites=sites, orgs=orgs, say=say)
        say("政府信息公开：")
        from .disclosure import load_disclosure

        load_disclosure(sites=sites, orgs=orgs, say=say)
        say("运维与年度报表：")
        from .operations import load_operations

        load_operations(sites=sites, orgs=orgs, say=say)
        # Wagtail's initial "welcome" page has no site any more; remove it.
        for page in Page.objects.filter(depth=2, content_type__model="page"):
            if not page.get_children().exists():
                page.delete()
        audit.record(action="demo.load", actor=None, details={"sites": len(sites)})
    return hints
