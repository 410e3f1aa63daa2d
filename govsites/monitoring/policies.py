"""Who may act on monitoring records: the one chokepoint admin views go through."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from .models import Ticket

RECHECK_PERMISSION = "monitoring.change_ticket"


def can_recheck_ticket(user: Any, ticket: Ticket) -> bool:
    """A re-check contacts the site and may close the ticket: the ticket-change permission."""
    if not getattr(user, "is_active", False):
        return False
    return bool(user.has_perm(RECHECK_PERMISSION))


def get_ticket_for_recheck(*, user: Any, ticket_id: int) -> Ticket:
    """Return the ticket a user may re-check; Http404 alike for missing and forbidden."""
    ticket = Ticket.objects.select_related("organisation", "site").filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    if not can_recheck_ticket(user, ticket):
        raise Http404
    return ticket
