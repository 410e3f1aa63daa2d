"""Access checks: which organisation's sites and columns a user may read or change.

A role (one Django group per role) says *what* a user may do; `user.organisation` says *where*.
Platform administrators act across the cluster, 监管员 read across it and change nothing, and
everybody else acts only on pages whose answerable organisation is their own:

- a site's home page answers to the site's 主办单位;
- a column (栏目) answers to `ColumnPage.effective_owner()` (its own owner or inherited);
- an item answers to its `owner_organisation` (filled from its column when saved);
- a reprint (a Wagtail alias) answers to the column it was reprinted into.

Each function puts one condition per line so that coverage shows every branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .roles import CLUSTER_WIDE_ROLES, READ_ONLY_ROLES, TOTP_REQUIRED_ROLES, Role
from .selectors import roles_of


@dataclass(frozen=True)
class OrganisationScope:
    """The organisations a user may act on: every one (`everywhere`) or the listed ids."""

    everywhere: bool
    organisation_ids: frozenset[int]

    def covers(self, organisation_id: int | None) -> bool:
        """Say whether an organisation (None: a page nobody owns, e.g. the tree root) is in scope."""
        if self.everywhere:
            return True
        if organisation_id is None:
            return False
        return organisation_id in self.organisation_ids


NOWHERE = OrganisationScope(everywhere=False, organisation_ids=frozenset())
EVERYWHERE = OrganisationScope(everywhere=True, organisation_ids=frozenset())


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def is_cluster_wide_administrator(user: Any) -> bool:
    """Say whether a user may change any organisation's sites (superuser or 平台管理员)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return Role.PLATFORM_ADMIN in roles_of(user)


def is_read_only(user: Any) -> bool:
    """Say whether a user only reads (every role they hold is a read-only role, e.g. 监管员)."""
    if not _active(user):
        return True
    if user.is_superuser:
        return False
    roles = roles_of(user)
    if not roles:
        return False
    return roles <= READ_ONLY_ROLES


def organisation_scope(user: Any) -> OrganisationScope:
    """Return where a user may *change* things."""
    if not _active(user):
        return NOWHERE
    if is_cluster_wide_administrator(user):
        return EVERYWHERE
    if is_read_only(user):
        return NOWHERE
    if user.organisation_id is None:
        return NOWHERE
    return OrganisationScope(everywhere=False, organisation_ids=frozenset({user.organisation_id}))


def read_scope(user: Any) -> OrganisationScope:
    """Return where a user may *read* in the admin (监管员 read the whole cluster)."""
    if not _active(user):
        return NOWHERE
    if user.is_superuser:
        return EVERYWHERE
    if roles_of(user) & CLUSTER_WIDE_ROLES:
        return EVERYWHERE
    return organisation_scope(user)


def page_organisation_id(page: Any) -> int | None:
    """Return the id of the organisation a page answers to (None for pages nobody owns)."""
    from govsites.content.models import ColumnPage, ContentItem, SiteHomePage

    specific = page.specific if hasattr(page, "specific") else page
    if isinstance(specific, ContentItem) and specific.alias_of_id:
        parent = specific.get_parent()
        return page_organisation_id(parent) if parent is not None else None
    if isinstance(specific, ContentItem) and specific.owner_organisation_id:
        return int(specific.owner_organisation_id)
    if isinstance(specific, ContentItem):
        parent = specific.get_parent()
        return page_organisation_id(parent) if parent is not None else None
    if isinstance(specific, ColumnPage):
        owner = specific.effective_owner()
        return int(owner.pk) if owner is not None else None
    if isinstance(specific, SiteHomePage):
        return _site_host_organisation_id(specific)
    return None


def _site_host_organisation_id(home: Any) -> int | None:
    from govsites.sites.models import SiteProfile

    host_id = (SiteProfile.objects.filter(site__root_page_id=home.pk)
               .values_list("host_organisation_id", flat=True).first())
    return int(host_id) if host_id is not None else None


def can_act_on_page(user: Any, page: Any) -> bool:
    """Say whether a page lies in the organisations a user may change (roles decide the rest)."""
    scope = organisation_scope(user)
    if scope.everywhere:
        return True
    if not scope.organisation_ids:
        return False
    return scope.covers(page_organisation_id(page))


def can_read_page(user: Any, page: Any) -> bool:
    """Say whether a user may see a page in the admin (explorer, history, revisions)."""
    scope = read_scope(user)
    if scope.everywhere:
        return True
    return scope.covers(page_organisation_id(page))


def can_edit_page(user: Any, page: Any) -> bool:
    """Say whether a user may edit a page: in scope, and the role's page permissions allow it."""
    if not can_act_on_page(user, page):
        return False
    return bool(page.permissions_for_user(user).can_edit())


def can_add_subpage(user: Any, parent: Any) -> bool:
    """Say whether a user may create a page under parent."""
    if not can_act_on_page(user, parent):
        return False
    return bool(parent.permissions_for_user(user).can_add_subpage())


def can_publish_page(user: Any, page: Any) -> bool:
    """Say whether a user may publish a page directly (without the review chain finishing)."""
    if not can_act_on_page(user, page):
        return False
    return bool(page.permissions_for_user(user).can_publish())


def can_delete_page(user: Any, page: Any) -> bool:
    """Say whether a user may delete a page and everything under it."""
    if not can_act_on_page(user, page):
        return False
    if not _subtree_in_scope(user, page):
        return False
    return bool(page.permissions_for_user(user).can_delete())


def can_move_page(user: Any, page: Any, destination: Any) -> bool:
    """Say whether a user may move a page (it and its destination must both be in scope)."""
    if not can_act_on_page(user, page):
        return False
    if not can_act_on_page(user, destination):
        return False
    return _subtree_in_scope(user, page)


def _subtree_in_scope(user: Any, page: Any) -> bool:
    """A delete or move takes the whole subtree along: refuse when part of it is foreign."""
    scope = organisation_scope(user)
    if scope.everywhere:
        return True
    from govsites.content.models import ColumnPage, ContentItem

    descendants = page.get_descendants()
    foreign_columns = (ColumnPage.objects.filter(pk__in=descendants.values("pk"))
                       .exclude(owner_organisation__isnull=True)
                       .exclude(owner_organisation_id__in=scope.organisation_ids))
    if foreign_columns.exists():
        return False
    foreign_items = (ContentItem.objects.filter(pk__in=descendants.values("pk"),
                                                alias_of__isnull=True)
                     .exclude(owner_organisation__isnull=True)
                     .exclude(owner_organisation_id__in=scope.organisation_ids))
    return not foreign_items.exists()


def requires_totp(user: Any) -> bool:
    """Say whether a user must pass a TOTP second factor (reviewers, leaders, administrators)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & TOTP_REQUIRED_ROLES)


def can_view_audit_trail(user: Any) -> bool:
    """Say whether a user may search the audit trail (platform administrators, 监管员)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & CLUSTER_WIDE_ROLES)


def can_manage_account(user: Any, target: Any) -> bool:
    """Say whether a user may manage another's account (departure, unlock, reset TOTP)."""
    if not _active(user):
        return False
    if user.pk == target.pk:
        return False
    if is_cluster_wide_administrator(user):
        return True
    if Role.SITE_ADMIN not in roles_of(user):
        return False
    return bool(user.organisation_id is not None
                and user.organisation_id == target.organisation_id)


def can_handle_departure(user: Any, leaver: Any) -> bool:
    """Say whether a user may process a colleague's departure (离岗交接)."""
    return can_manage_account(user, leaver)


def can_list_organisation_accounts(user: Any) -> bool:
    """Say whether a user may see the accounts of their organisation (site administrators)."""
    if not _active(user):
        return False
    if user.organisation_id is None:
        return False
    return Role.SITE_ADMIN in roles_of(user) or is_cluster_wide_administrator(user)
