"""Who may change the registry of organisations and sites.

The registry is the cluster's identity (names, domains, 标识码, 备案号), so it is kept by the
platform administrators: the holders of the model permissions of `govsites_sites` (a
superuser holds them all). Records are never deleted through the admin: an organisation is
kept for the history of its accounts and content, a site is retired through its status.

`acting_user=None` in a service call is the platform itself (the demo loader, a command run
by the operator) and is not checked here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

_APP = "govsites_sites"


def _holds(user: Any, codename: str) -> bool:
    return bool(user is not None and getattr(user, "is_active", False)
                and user.has_perm(f"{_APP}.{codename}"))


def can_view_registry(user: Any) -> bool:
    """The registry pages list organisations and sites; readers of either may open them."""
    return any(_holds(user, f"{verb}_{model}") for verb in ("view", "change")
               for model in ("organisation", "siteprofile"))


def can_create_organisation(user: Any) -> bool:
    return _holds(user, "add_organisation")


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    return _holds(user, "change_organisation")


def can_create_site(user: Any) -> bool:
    return _holds(user, "add_siteprofile")


def can_edit_site(user: Any, site: Any) -> bool:
    return _holds(user, "change_siteprofile")


def can_delete_registry_record(user: Any, record: Any) -> bool:
    """Nobody deletes a registry record through the admin (retire a site instead)."""
    return False


def refuse_unless(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied with a sentence the admin can show when not allowed."""
    if not allowed:
        raise PermissionDenied(message or _("您没有维护单位与网站信息的权限。"))
