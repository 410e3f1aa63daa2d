"""Who may handle requests and approve extensions, and the access chokepoints for cases.

Staff of a body's own organisation handle its requests; cluster-wide administrators may act
everywhere and 监管员 read everywhere. An extension is approved by the head side of the office
(审核负责人, 分管领导, 主要领导 or a superuser), never by the case's handler (the review
chain's rule: who does the work does not approve it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from govsites.accounts.policies import organisation_scope, read_scope
from govsites.accounts.roles import Role
from govsites.accounts.selectors import roles_of

from .models import AnnualReport, DisclosureBody, DisclosureRequest

APPROVER_ROLES = frozenset({Role.REVIEWER, Role.DEPUTY_HEAD, Role.HEAD})


def can_handle(user: Any, body: DisclosureBody) -> bool:
    """Say whether a user may change a body's cases and reports."""
    return organisation_scope(user).covers(body.organisation_id)


def can_read(user: Any, body: DisclosureBody) -> bool:
    """Say whether a user may read a body's cases and reports in the admin."""
    return read_scope(user).covers(body.organisation_id)


def can_use_disclosure_admin(user: Any) -> bool:
    """The 信息公开 menu shows for anyone who may read at least one body."""
    scope = read_scope(user)
    return bool(scope.everywhere or scope.organisation_ids)


def can_approve_extension(user: Any, request: DisclosureRequest) -> bool:
    """The head side of the office approves an extension; the handler never does."""
    if not can_handle(user, request.body):
        return False
    if request.handler_id is not None and request.handler_id == user.pk:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user) & APPROVER_ROLES)


def refuse_unless(allowed: bool, message: str = "") -> None:
    """Raise PermissionDenied with a Chinese sentence when not allowed."""
    if not allowed:
        raise PermissionDenied(message or _("您无权办理该公开主体的政府信息公开事项。"))


def bodies_for(user: Any) -> QuerySet[DisclosureBody]:
    """The bodies a user may read in the admin."""
    scope = read_scope(user)
    bodies = DisclosureBody.objects.select_related("organisation")
    if scope.everywhere:
        return bodies
    return bodies.filter(organisation_id__in=scope.organisation_ids)


def get_request_for(*, user: Any, request_id: int) -> DisclosureRequest:
    """Return a case the user may read; missing and forbidden look the same (404)."""
    case = (DisclosureRequest.objects.select_related("body__organisation", "handler")
            .filter(pk=request_id).first())
    if case is None:
        raise Http404
    if not can_read(user, case.body):
        raise Http404
    return case


def get_report_for(*, user: Any, report_id: int) -> AnnualReport:
    """Return an annual report the user may read; missing and forbidden look the same."""
    report = AnnualReport.objects.select_related("body__organisation").filter(
        pk=report_id).first()
    if report is None:
        raise Http404
    if not can_read(user, report.body):
        raise Http404
    return report
