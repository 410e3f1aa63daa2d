"""Admin views of monitoring beyond the generic viewsets: 复查 (re-check) of a ticket."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import netguard, policies, services
from .choices import TicketStatus


def ticket_recheck(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Confirm (GET), then re-check a ticket (POST) through `services.recheck_ticket`.

    The ticket closes only when the re-check passes; either way the page says so in Chinese.
    """
    ticket = policies.get_ticket_for_recheck(user=request.user, ticket_id=ticket_id)
    back = reverse("monitoring_tickets:inspect", args=[ticket.pk])
    if ticket.status != TicketStatus.OPEN:
        messages.error(request, _("整改单 #%(pk)s 已销号，无需复查。") % {"pk": ticket.pk})
        return redirect(back)
    if request.method != "POST":
        return TemplateResponse(request, "monitoring/admin/ticket_recheck.html",
                                {"ticket": ticket, "back": back})
    try:
        ticket = services.recheck_ticket(ticket=ticket, acting_user=request.user)
    except netguard.TargetNotAllowed as exc:
        messages.error(request, _("无法复查：%(reason)s") % {"reason": exc})
        return redirect(back)
    except ValueError as exc:  # closed meanwhile by someone else
        messages.error(request, str(exc))
        return redirect(back)
    last = ticket.events.order_by("-at", "-pk").first()
    note = last.note if last is not None else ""
    if ticket.status == TicketStatus.CLOSED:
        messages.success(request, _("复查通过，整改单 #%(pk)s 已销号：%(note)s")
                         % {"pk": ticket.pk, "note": note})
    else:
        messages.error(request, _("复查未通过，整改单 #%(pk)s 仍待整改：%(note)s")
                       % {"pk": ticket.pk, "note": note})
    return redirect(back)
