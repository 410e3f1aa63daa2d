"""Wagtail's page permissions, re-anchored on the user's organisation.

Each role group holds its page permissions on the tree root (migration 0005), so there is one
group per role and nothing to maintain per department. This policy hands a user those
permissions not at the root but at the top of each subtree their organisation answers for
(its sites' home pages, the columns it owns, its items in other organisations' columns).
Wagtail's explorer, choosers, menus and buttons then follow the organisation without further
code. Sub-columns that another organisation owns inside an organisation's site are the one
thing a subtree grant cannot express; `OrganisationPagePermissionTester` and the hooks in
wagtail_hooks.py refuse those (see docs/security.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import policies
from .roles import CLUSTER_WIDE_ROLES, group_name


def organisation_anchor_pages(organisation_id: int) -> list[Page]:
    """Return the highest pages answering to an organisation (a grant there covers the rest)."""
    from govsites.content.models import ColumnPage, ContentItem
    from govsites.sites.models import SiteProfile

    home_ids = set(SiteProfile.objects.filter(host_organisation_id=organisation_id)
                   .values_list("site__root_page_id", flat=True))
    column_ids = set(ColumnPage.objects.filter(owner_organisation_id=organisation_id)
                     .values_list("pk", flat=True))
    tops = list(Page.objects.filter(pk__in=home_ids | column_ids).order_by("path"))
    anchors: list[Page] = []
    for page in tops:
        if not any(page.path.startswith(a.path) for a in anchors):
            anchors.append(page)
    covered = Q()
    for anchor in anchors:
        covered |= Q(path__startswith=anchor.path)
    stray_items = ContentItem.objects.filter(owner_organisation_id=organisation_id,
                                             alias_of__isnull=True)
    if anchors:
        stray_items = stray_items.exclude(covered)
    anchors.extend(Page.objects.filter(pk__in=stray_items.values("pk")).order_by("path"))
    return anchors


class OrganisationPagePermissionPolicy(PagePermissionPolicy):
    """PagePermissionPolicy whose grants sit on the user's organisation's pages."""

    def get_all_permissions_for_user(self, user: Any) -> Any:
        rows = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return rows
        if policies.is_cluster_wide_administrator(user):
            return rows
        scope = policies.organisation_scope(user)
        if not scope.organisation_ids:
            return []
        anchors: list[Page] = []
        for organisation_id in sorted(scope.organisation_ids):
            anchors.extend(organisation_anchor_pages(organisation_id))
        granted: dict[tuple[int, int, int], GroupPagePermission] = {}
        for row in rows:
            for anchor in anchors:
                if anchor.path.startswith(row.page.path):
                    perm = GroupPagePermission(group_id=row.group_id, page=anchor,
                                               permission=row.permission)
                elif row.page.path.startswith(anchor.path):
                    perm = row
                else:
                    continue
                granted[(perm.group_id, perm.page.pk, perm.permission.pk)] = perm
        return list(granted.values())

    def users_with_any_permission_for_instance(self, actions: Any, instance: Any,
                                               include_superusers: bool = True) -> Any:
        """Limit Wagtail's answer (used for notifications) to users whose scope holds the page."""
        users = super().users_with_any_permission_for_instance(
            actions, instance, include_superusers=include_superusers)
        organisation_id = policies.page_organisation_id(instance)
        in_scope = Q(is_superuser=True) | Q(
            groups__name__in=[group_name(r) for r in CLUSTER_WIDE_ROLES])
        if organisation_id is not None:
            in_scope |= Q(organisation_id=organisation_id)
        user_model = get_user_model()
        return user_model._default_manager.filter(pk__in=users.values("pk")).filter(
            in_scope).distinct()


class OrganisationPagePermissionTester(PagePermissionTester):
    """A PagePermissionTester that grants nothing on a page outside the user's organisations.

    The policy's subtree grants cover another organisation's column nested inside one's own
    site; this tester closes that gap for the buttons and menus. Page classes use it through
    `permissions_for_user` (see docs/security.md); the admin hooks refuse the same cases anyway.
    """

    def __init__(self, user: Any, page: Any) -> None:
        super().__init__(user, page)
        if (user.is_active and not user.is_superuser
                and not policies.can_act_on_page(user, page)):
            self.permissions: set[str] = set()
