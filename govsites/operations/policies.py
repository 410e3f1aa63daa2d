"""Who may see and do what in operations: visit statistics, reports, lifecycle, records.

The scope is monitoring's supervised scope: platform administrators and the city's
supervisors see the whole cluster, a county's supervisor its county, anyone else with an
operations role the sites of their own organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from govsites.accounts.roles import Role
from govsites.accounts.selectors import roles_of
from govsites.monitoring.policies import supervised_scope
from govsites.sites.selectors import all_sites

OPERATIONS_ROLES = frozenset({Role.SITE_ADMIN, Role.PLATFORM_ADMIN, Role.SUPERVISOR,
                              Role.DUTY_OFFICER})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def has_operations_role(user: Any) -> bool:
    """A superuser, or a holder of a role that runs or supervises sites."""
    if not _active(user):
        return False
    return bool(user.is_superuser or roles_of(user) & OPERATIONS_ROLES)


def visible_sites(user: Any) -> QuerySet[Any]:
    """The sites whose statistics and records a user may see."""
    if not has_operations_role(user):
        return all_sites().none()
    return supervised_scope(user).filter(all_sites(), "host_organisation")


def sees_whole_cluster(user: Any) -> bool:
    """Whether the user may see cluster-wide totals."""
    return has_operations_role(user) and supervised_scope(user).everywhere


def get_site_for(*, user: Any, site_id: int) -> Any:
    """The site with this id if the user may see it; PermissionDenied alike when missing."""
    site = visible_sites(user).filter(pk=site_id).first()
    if site is None:
        raise PermissionDenied
    return site


def can_decide_site_changes(user: Any) -> bool:
    """Approving a site's lifecycle change: supervisors and platform administrators."""
    if not _active(user):
        return False
    return bool(user.is_superuser or roles_of(user) & {Role.SUPERVISOR, Role.PLATFORM_ADMIN})


def can_assess_new_media(user: Any) -> bool:
    """Concluding a 政务新媒体 account's assessment (检查结论): supervisors and platform
    administrators, not the account's own body."""
    return can_decide_site_changes(user)
