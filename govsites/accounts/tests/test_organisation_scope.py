"""Users act only on their own organisation's sites and columns (least privilege)."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import Page

from govsites import testing
from govsites.accounts import policies
from govsites.accounts.page_permissions import (
    OrganisationPagePermissionTester,
    organisation_anchor_pages,
)
from govsites.accounts.roles import Role
from govsites.content.models import ColumnPage

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_column(portal_home: Any, other_org: Any) -> Any:
    """A 部门专栏 on the portal that the finance bureau answers for."""
    return testing.make_column(portal_home, title="财政预决算", column_type="数据发布",
                               owner=other_org)


@pytest.fixture
def dept_column(department_site: Any) -> Any:
    return testing.make_column(department_site.site.root_page.specific, title="教育动态")


def _edit(client: Any, page: Any) -> int:
    return int(client.get(f"/admin/pages/{page.pk}/edit/").status_code)


def test_an_item_answers_to_the_organisation_of_its_column(news_column: Any,
                                                           foreign_column: Any,
                                                           host_org: Any,
                                                           other_org: Any) -> None:
    own = testing.make_article(news_column)
    theirs = testing.make_article(foreign_column)
    assert policies.page_organisation_id(own) == host_org.pk
    assert policies.page_organisation_id(theirs) == other_org.pk
    assert policies.page_organisation_id(news_column.get_parent()) == host_org.pk
    assert policies.page_organisation_id(Page.get_first_root_node()) is None


def test_an_editor_may_edit_items_in_own_columns_but_not_another_organisations(
        news_column: Any, foreign_column: Any, dept_column: Any, host_org: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    own = testing.make_article(news_column)
    assert policies.can_edit_page(editor, own)
    assert policies.can_add_subpage(editor, news_column)
    assert not policies.can_edit_page(editor, testing.make_article(foreign_column))
    assert not policies.can_edit_page(editor, testing.make_article(dept_column))
    assert not policies.can_add_subpage(editor, dept_column)


def test_wagtail_permissions_follow_the_organisation_without_a_group_per_department(
        news_column: Any, dept_column: Any, host_org: Any, department_site: Any) -> None:
    portal_editor = make_user(host_org, Role.EDITOR)
    dept_editor = make_user(department_site.host_organisation, Role.EDITOR)
    own = testing.make_article(news_column)
    theirs = testing.make_article(dept_column)
    assert own.permissions_for_user(portal_editor).can_edit()
    assert not theirs.permissions_for_user(portal_editor).can_edit()
    assert theirs.permissions_for_user(dept_editor).can_edit()
    assert not own.permissions_for_user(dept_editor).can_edit()


def test_an_organisation_is_anchored_at_its_site_and_at_columns_it_owns_elsewhere(
        portal_home: Any, foreign_column: Any, host_org: Any, other_org: Any) -> None:
    assert [p.pk for p in organisation_anchor_pages(host_org.pk)] == [portal_home.pk]
    assert [p.pk for p in organisation_anchor_pages(other_org.pk)] == [foreign_column.pk]


def test_another_organisations_column_inside_ones_site_is_refused(
        foreign_column: Any, host_org: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    item = testing.make_article(foreign_column)
    assert not policies.can_act_on_page(editor, item)
    assert not OrganisationPagePermissionTester(editor, item).can_edit()
    assert not OrganisationPagePermissionTester(editor, foreign_column).can_add_subpage()


def test_the_owning_department_edits_its_column_on_the_portal(foreign_column: Any,
                                                              news_column: Any,
                                                              other_org: Any) -> None:
    finance_editor = make_user(other_org, Role.EDITOR)
    item = testing.make_article(foreign_column)
    assert policies.can_edit_page(finance_editor, item)
    assert item.permissions_for_user(finance_editor).can_edit()
    assert not policies.can_edit_page(finance_editor, testing.make_article(news_column))


def test_editors_cannot_publish_directly_but_site_administrators_can(news_column: Any,
                                                                     host_org: Any) -> None:
    item = testing.make_article(news_column, publish=False)
    assert not policies.can_publish_page(make_user(host_org, Role.EDITOR), item)
    assert policies.can_publish_page(make_user(host_org, Role.SITE_ADMIN), item)


def test_a_platform_administrator_acts_across_the_cluster(dept_column: Any,
                                                          foreign_column: Any,
                                                          other_org: Any) -> None:
    admin = make_user(other_org, Role.PLATFORM_ADMIN)
    assert policies.can_edit_page(admin, testing.make_article(dept_column))
    assert policies.can_publish_page(admin, dept_column)
    assert policies.organisation_scope(admin).everywhere


def test_a_supervisor_reads_the_whole_cluster_and_changes_nothing(
        client: Any, news_column: Any, dept_column: Any,
        host_org: Any) -> None:
    supervisor = make_user(host_org, Role.SUPERVISOR)
    item = testing.make_article(dept_column)
    assert policies.can_read_page(supervisor, item)
    assert policies.can_view_audit_trail(supervisor)
    assert not policies.can_edit_page(supervisor, item)
    assert not policies.can_edit_page(supervisor, testing.make_article(news_column))
    client.force_login(supervisor)
    assert _edit(client, item) == 302
    assert client.get("/admin/audit_record/").status_code == 200


def test_the_edit_screen_refuses_a_page_of_another_organisation(
        client: Any, news_column: Any, foreign_column: Any,
        dept_column: Any, host_org: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    client.force_login(editor)
    assert _edit(client, testing.make_article(news_column)) == 200
    assert _edit(client, testing.make_article(dept_column)) == 302
    # Wagtail's subtree grant on the portal covers this column; the page tester (through
    # SitePageMixin.permissions_for_user) and the before_edit_page hook both refuse it.
    foreign_item = testing.make_article(foreign_column)
    assert not foreign_item.permissions_for_user(editor).can_edit()
    assert _edit(client, foreign_item) == 302


def test_creating_a_page_under_another_organisations_column_is_refused(
        client: Any, news_column: Any, foreign_column: Any,
        host_org: Any) -> None:
    editor = make_user(host_org, Role.EDITOR)
    client.force_login(editor)
    add = "/admin/pages/add/content/articlepage/{}/"
    assert client.get(add.format(news_column.pk)).status_code == 200
    assert not foreign_column.permissions_for_user(editor).can_add_subpage()
    assert client.get(add.format(foreign_column.pk)).status_code in (302, 403)


def test_deleting_a_subtree_that_holds_another_organisations_column_is_refused(
        portal_home: Any, host_org: Any, other_org: Any) -> None:
    site_admin = make_user(host_org, Role.SITE_ADMIN)
    parent = testing.make_column(portal_home, title="部门信息公开", column_type="信息公开目录")
    testing.make_column(ColumnPage.objects.get(pk=parent.pk), title="财政局",
                        column_type="数据发布", owner=other_org)
    assert policies.can_act_on_page(site_admin, parent)
    assert not policies.can_delete_page(site_admin, parent)


def test_the_explorer_of_an_editor_starts_at_their_own_site(
        news_column: Any, dept_column: Any, host_org: Any, portal_home: Any) -> None:
    from wagtail.permissions import policy_registry

    editor = make_user(host_org, Role.EDITOR)
    page_policy = policy_registry.get_by_type(Page)
    assert page_policy.explorable_root_instance(editor).pk == portal_home.pk
    explorable = set(page_policy.explorable_instances(editor).values_list("pk", flat=True))
    assert news_column.pk in explorable
    assert dept_column.pk not in explorable


def test_review_notifications_go_only_to_users_of_the_pages_organisation(
        news_column: Any, host_org: Any, other_org: Any) -> None:
    from wagtail.permissions import policy_registry

    own = make_user(host_org, Role.SITE_ADMIN)
    elsewhere = make_user(other_org, Role.SITE_ADMIN)
    platform = make_user(other_org, Role.PLATFORM_ADMIN)
    item = testing.make_article(news_column)
    users = policy_registry.get_by_type(Page).users_with_permission_for_instance(
        "publish", item)
    assert own in users and platform in users and elsewhere not in users


def test_a_reprint_answers_to_the_column_it_was_reprinted_into(
        news_column: Any, dept_column: Any, department_site: Any) -> None:
    from govsites.content.services import reprint_item

    original = testing.make_article(news_column)
    alias = reprint_item(item=original, column=dept_column, acting_user=None)
    assert policies.page_organisation_id(alias) == department_site.host_organisation_id


def test_a_user_without_an_organisation_acts_nowhere(news_column: Any) -> None:
    from govsites.accounts.models import User

    loose = User.objects.create_user(username="loose", password="x", real_name="无单位",
                                     mobile="13800000000")
    assert not policies.organisation_scope(loose).organisation_ids
    assert not policies.can_act_on_page(loose, news_column)


def test_wagtail_log_entries_mirrored_into_the_trail_name_the_pages_organisation(
        foreign_column: Any, other_org: Any) -> None:
    from govsites.core.models import AuditRecord

    item = testing.make_article(foreign_column)
    mirrored = AuditRecord.objects.filter(action="wagtail.publish", object_id=str(item.pk))
    assert mirrored.get().organisation_id == other_org.pk
