"""Who may see and handle the public's messages: the access chokepoint for staff and writers.

Views never fetch a message by id themselves: staff go through `get_enquiry_for`, writers
through `enquiry_for_writer` (query code and password). Both give the same answer whether the
message is missing or not theirs.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import check_password
from django.db.models import Q, QuerySet

from govsites.accounts.policies import is_cluster_wide_administrator, read_scope
from govsites.accounts.roles import Role
from govsites.accounts.selectors import roles_of
from govsites.core import crypto

from .models import Enquiry, ErrorReport

#: Roles that may approve a reply someone else drafted (the review chain's approving roles).
APPROVING_ROLES = frozenset({Role.REVIEWER, Role.DEPUTY_HEAD, Role.HEAD, Role.SITE_ADMIN,
                             Role.PLATFORM_ADMIN})


class EnquiryNotFound(Exception):
    """No such message, or not one the person may see (deliberately the same answer)."""


def visible_enquiries(user: Any) -> QuerySet[Enquiry]:
    """Messages a staff member may read: those their organisation handles or whose mailbox it owns."""
    scope = read_scope(user)
    queryset = Enquiry.objects.select_related("mailbox", "mailbox__site", "handling_organisation")
    if scope.everywhere:
        return queryset
    ids = scope.organisation_ids
    return queryset.filter(Q(handling_organisation_id__in=ids)
                           | Q(mailbox__organisation_id__in=ids))


def get_enquiry_for(*, user: Any, enquiry_id: int) -> Enquiry:
    """Return a message the user may read, or raise EnquiryNotFound."""
    enquiry = visible_enquiries(user).filter(pk=enquiry_id).first()
    if enquiry is None:
        raise EnquiryNotFound(enquiry_id)
    return enquiry


def can_handle(user: Any, enquiry: Enquiry) -> bool:
    """Say whether a user may accept, transfer, reject or draft a reply to a message."""
    if is_cluster_wide_administrator(user):
        return True
    if user is None or not getattr(user, "is_active", False):
        return False
    if Role.SUPERVISOR in roles_of(user) and len(roles_of(user)) == 1:
        return False
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return False
    return org_id in (enquiry.handling_organisation_id, enquiry.mailbox.organisation_id)


def can_approve(user: Any, enquiry: Enquiry) -> bool:
    """Say whether a user may approve a reply: an approving role where the message is handled."""
    if is_cluster_wide_administrator(user):
        return True
    if not can_handle(user, enquiry):
        return False
    return bool(roles_of(user) & APPROVING_ROLES)


def can_manage_mailbox(user: Any, mailbox: Any) -> bool:
    """Say whether a user may set up a mailbox: platform administrators, or its own organisation."""
    if is_cluster_wide_administrator(user):
        return True
    return bool(user is not None and getattr(user, "is_active", False)
                and getattr(user, "organisation_id", None) == mailbox.organisation_id)


def can_manage_consultation(user: Any, consultation: Any) -> bool:
    """Say whether a user may moderate a consultation and publish its 采纳情况."""
    return can_manage_mailbox(user, consultation)


def can_manage_survey(user: Any, survey: Any) -> bool:
    """Say whether a user may see a survey's responses and export them."""
    return can_manage_mailbox(user, survey)


def can_manage_interview(user: Any, interview: Any) -> bool:
    """Say whether a user may moderate an interview's questions, answer them and archive it."""
    return can_manage_mailbox(user, interview)


QUERY_PASSWORD_PREFIX = "hmac-sm3$"


def query_password_digest(query_code: str, password: str) -> str:
    """What is stored for a message's query password: HMAC-SM3 under the digest key.

    The password is drawn by the platform (8 of 32 characters), not chosen by a person, so it
    needs no slow hash: without the server's key a copy of the database cannot test guesses,
    and guesses on the follow page are rate-limited. (PBKDF2 here cost more CPU than the rest
    of a submission; messages stored before keep their PBKDF2 hash and still open.)
    """
    return QUERY_PASSWORD_PREFIX + crypto.keyed_digest(
        "enquiry-password:" + query_code, password.strip().upper())


def _password_matches(enquiry: Enquiry, password: str) -> bool:
    stored = enquiry.password_hash
    if stored.startswith(QUERY_PASSWORD_PREFIX):
        return secrets.compare_digest(stored, query_password_digest(enquiry.query_code, password))
    return check_password(password.strip().upper(), stored)


def enquiry_for_writer(*, query_code: str, password: str) -> Enquiry | None:
    """Return the message a writer follows with their query code and password, else None."""
    enquiry = (Enquiry.objects.select_related("mailbox", "mailbox__site", "handling_organisation")
               .filter(query_code=query_code.strip().upper()).first())
    if enquiry is None:
        query_password_digest(query_code, password)  # same work either way
        return None
    if not _password_matches(enquiry, password):
        return None
    return enquiry


def visible_error_reports(user: Any) -> QuerySet[ErrorReport]:
    """找错 reports a staff member may read: those of their organisation's sites."""
    scope = read_scope(user)
    queryset = ErrorReport.objects.select_related("site")
    if scope.everywhere:
        return queryset
    return queryset.filter(site__host_organisation_id__in=scope.organisation_ids)
