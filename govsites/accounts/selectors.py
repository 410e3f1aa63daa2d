"""Reads for accounts: who holds which role where, and what a departing user leaves behind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import User
from .roles import Role, group_name, role_for_group_name

_ROLES_CACHE = "_govsites_roles"


def users_with_role(role: Role | str, organisation: Any) -> QuerySet[User]:
    """Active users holding a role in exactly this organisation."""
    return User.objects.filter(is_active=True, organisation=organisation,
                               groups__name=group_name(role)).distinct()


def users_with_role_anywhere(role: Role | str) -> QuerySet[User]:
    """Active users holding a role in any organisation (for cluster-wide roles)."""
    return User.objects.filter(is_active=True, groups__name=group_name(role)).distinct()


def has_role(user: Any, role: Role | str) -> bool:
    """Say whether a user holds a role (in their own organisation)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Role(role) in roles_of(user)


def roles_of(user: Any) -> frozenset[Role]:
    """Return the roles a user holds, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    names = user.groups.values_list("name", flat=True)
    roles = frozenset(r for r in (role_for_group_name(n) for n in names) if r is not None)
    setattr(user, _ROLES_CACHE, roles)
    return roles


def forget_cached_roles(user: Any) -> None:
    """Drop the per-request role cache after the user's groups changed."""
    if hasattr(user, _ROLES_CACHE):
        delattr(user, _ROLES_CACHE)


def colleagues_of(user: User) -> QuerySet[User]:
    """Active accounts of the same organisation, other than the user (departure successors)."""
    if user.organisation_id is None:
        return User.objects.none()
    return (User.objects.filter(is_active=True, organisation_id=user.organisation_id)
            .exclude(pk=user.pk).order_by("real_name", "username"))


@dataclass(frozen=True)
class AccountRow:
    """One account as the organisation's account list shows it."""

    user: User
    roles: list[str]
    locked: bool
    two_factor: bool


def organisation_accounts(organisation_id: int) -> list[AccountRow]:
    """Every account of an organisation with its roles, lock and two-factor state."""
    from django.utils import timezone

    from .models import LoginFailureCounter, TOTPDevice

    users = list(User.objects.filter(organisation_id=organisation_id)
                 .prefetch_related("groups").order_by("-is_active", "real_name", "username"))
    locked = set(LoginFailureCounter.objects.filter(locked_until__gt=timezone.now())
                 .values_list("username", flat=True))
    enrolled = set(TOTPDevice.objects.filter(user__in=users, confirmed_at__isnull=False)
                   .values_list("user_id", flat=True))
    rows = []
    for user in users:
        names = [g.name for g in user.groups.all()]
        rows.append(AccountRow(user=user, roles=sorted(names),
                               locked=user.get_username().casefold() in locked,
                               two_factor=user.pk in enrolled))
    return rows


def responsible_columns_for(user: User) -> QuerySet[Any]:
    """Columns (栏目) for which the user is the named 栏目负责人."""
    from govsites.content.models import ColumnPage

    return ColumnPage.objects.filter(responsible_person=user).order_by("path")


def pending_reviews_for(user: User) -> list[Any]:
    """Return the in-progress Wagtail workflow task states this user is expected to act on.

    A task state counts when its task offers the user an action on the page (Wagtail's
    `Task.get_actions`) and the page lies in the user's organisation scope, or when the task
    state names the user explicitly through an `assignee` attribute (the review workflow may
    add one). Users of other organisations never see each other's reviews.
    """
    from wagtail.models import TaskState

    from .policies import can_act_on_page

    pending = []
    states = (TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
              .select_related("task", "workflow_state", "revision").order_by("pk"))
    for state in states:
        specific_state = state.specific
        assignee_id = getattr(specific_state, "assignee_id", None)
        if assignee_id is not None:
            if assignee_id == user.pk:
                pending.append(specific_state)
            continue
        if user.is_superuser:
            # A superuser could act on every task; only an explicit assignment is "theirs".
            continue
        page = state.workflow_state.content_object
        if page is None or not can_act_on_page(user, page):
            continue
        if state.task.specific.get_actions(page, user):
            pending.append(specific_state)
    return pending
