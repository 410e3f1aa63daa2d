"""Who may see and act on monitoring records: the one chokepoint admin views go through.

A permission (a role's, through accounts' role-permission list) says *what* a user may do with
monitoring records; the sites a user *supervises* say *where*:

- superusers and 平台管理员 supervise every site;
- a 监管员 supervises the sites hosted by the bodies of their own government: the whole cluster
  for a city's supervisor (a government with no government above it), the county's sites for a
  county's supervisor;
- anyone else sees the sites their own organisation hosts (a site administrator given the
  view permission follows up their own site's tickets).

Lookups return the same Http404 whether a record is missing or outside the user's sites.
Each function puts one condition per line so that coverage shows every branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govsites.accounts import policies as account_policies
from govsites.accounts.roles import Role
from govsites.accounts.selectors import roles_of
from govsites.sites import selectors as site_selectors
from govsites.sites.choices import OrganisationKind

from .models import Inspection, Ticket, UptimeAlert, UptimeProbe

VIEW_INSPECTION = "monitoring.view_inspection"
START_INSPECTION = "monitoring.start_inspection"
VIEW_TICKET = "monitoring.view_ticket"
OPEN_TICKET = "monitoring.open_ticket"
RECHECK_TICKET = "monitoring.recheck_ticket"
VIEW_PROBE = "monitoring.view_uptimeprobe"
VIEW_ALERT = "monitoring.view_uptimealert"
ACKNOWLEDGE_ALERT = "monitoring.acknowledge_alert"


@dataclass(frozen=True)
class SupervisedScope:
    """The host organisations whose sites a user supervises: every one, or the listed ids."""

    everywhere: bool
    organisation_ids: frozenset[int]

    def covers(self, organisation_id: int | None) -> bool:
        """Say whether a site hosted by this organisation (None: no registered site) is in scope."""
        if self.everywhere:
            return True
        if organisation_id is None:
            return False
        return organisation_id in self.organisation_ids

    def filter(self, queryset: QuerySet[Any], organisation_path: str) -> QuerySet[Any]:
        """Keep the rows whose host organisation (reached by `organisation_path`) is in scope."""
        if self.everywhere:
            return queryset
        return queryset.filter(Q(**{f"{organisation_path}__in": self.organisation_ids}))


NOWHERE = SupervisedScope(everywhere=False, organisation_ids=frozenset())
EVERYWHERE = SupervisedScope(everywhere=True, organisation_ids=frozenset())


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def _government_subtree(organisation_id: int) -> SupervisedScope:
    """The organisations under the government an organisation belongs to (itself included)."""
    rows = {o.pk: o for o in site_selectors.organisations()}
    node = rows.get(organisation_id)
    if node is None:
        return NOWHERE
    while node.kind != OrganisationKind.GOVERNMENT and node.parent_id in rows:
        node = rows[node.parent_id]
    if node.parent_id is None:
        return EVERYWHERE  # the city's own supervisor watches the whole cluster
    children: dict[int | None, list[int]] = {}
    for org in rows.values():
        children.setdefault(org.parent_id, []).append(org.pk)
    found = {node.pk}
    todo = [node.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return SupervisedScope(everywhere=False, organisation_ids=frozenset(found))


def supervised_scope(user: Any) -> SupervisedScope:
    """Return the host organisations whose sites' monitoring records a user may see and act on."""
    if not _active(user):
        return NOWHERE
    if account_policies.is_cluster_wide_administrator(user):
        return EVERYWHERE
    if user.organisation_id is None:
        return NOWHERE
    if Role.SUPERVISOR in roles_of(user):
        return _government_subtree(int(user.organisation_id))
    return SupervisedScope(everywhere=False, organisation_ids=frozenset({user.organisation_id}))


def _allowed(user: Any, permission: str) -> bool:
    if not _active(user):
        return False
    return bool(user.has_perm(permission))


# --- what a user may see ---------------------------------------------------------------------
def visible_inspections(user: Any) -> QuerySet[Inspection]:
    """Inspections of the sites a user supervises (none without the view permission)."""
    if not _allowed(user, VIEW_INSPECTION):
        return Inspection.objects.none()
    qs = Inspection.objects.select_related("site", "requested_by")
    return supervised_scope(user).filter(qs, "site__host_organisation_id")


def visible_tickets(user: Any) -> QuerySet[Ticket]:
    """Tickets of the organisations a user supervises."""
    if not _allowed(user, VIEW_TICKET):
        return Ticket.objects.none()
    qs = Ticket.objects.select_related("organisation", "site")
    return supervised_scope(user).filter(qs, "organisation_id")


def visible_probes(user: Any) -> QuerySet[UptimeProbe]:
    """Uptime probes of the sites a user supervises."""
    if not _allowed(user, VIEW_PROBE):
        return UptimeProbe.objects.none()
    qs = UptimeProbe.objects.select_related("site")
    return supervised_scope(user).filter(qs, "site__host_organisation_id")


def visible_alerts(user: Any) -> QuerySet[UptimeAlert]:
    """Uptime alerts of the sites a user supervises."""
    if not _allowed(user, VIEW_ALERT):
        return UptimeAlert.objects.none()
    qs = UptimeAlert.objects.select_related("site", "acknowledged_by")
    return supervised_scope(user).filter(qs, "site__host_organisation_id")


def sites_for_repost_watch(user: Any) -> list[Any]:
    """The online sites whose repost watch (转载监测) a user may see: those they supervise,
    for anyone who may see tickets (the watch's overdue rows become tickets)."""
    if not _allowed(user, VIEW_TICKET):
        return []
    scope = supervised_scope(user)
    return [site for site in all_online_sites() if scope.covers(site.host_organisation_id)]


def all_online_sites() -> list[Any]:
    """Every online site (the watch needs the whole cluster to know each site's upstream)."""
    return [site for site in site_selectors.all_sites() if site.status == "online"]


def sites_to_inspect(user: Any) -> list[Any]:
    """The registered sites a user may start an inspection of (立即检查)."""
    if not _allowed(user, START_INSPECTION):
        return []
    scope = supervised_scope(user)
    return [p for p in site_selectors.all_sites() if scope.covers(p.host_organisation_id)]


# --- what a user may do ----------------------------------------------------------------------
def can_start_inspection(user: Any, site: Any) -> bool:
    """An inspection contacts the site: the start permission, on a site the user supervises."""
    if not _allowed(user, START_INSPECTION):
        return False
    return supervised_scope(user).covers(site.host_organisation_id)


def can_open_tickets(user: Any, inspection: Inspection) -> bool:
    """Open 整改单 from an inspection's findings: the permission, on a registered site in scope."""
    if not _allowed(user, OPEN_TICKET):
        return False
    if inspection.site is None:
        return False
    return supervised_scope(user).covers(inspection.site.host_organisation_id)


def can_flag_sensitive(user: Any, site: Any) -> bool:
    """Notify a site to remove sensitive content (RS-16): a 监管员 (or a platform administrator)
    with the ticket permission, on a site they supervise."""
    if not _allowed(user, OPEN_TICKET):
        return False
    if not (account_policies.is_cluster_wide_administrator(user)
            or Role.SUPERVISOR in roles_of(user)):
        return False
    return supervised_scope(user).covers(site.host_organisation_id)


def can_recheck_ticket(user: Any, ticket: Ticket) -> bool:
    """A re-check contacts the site and may close the ticket: the re-check permission, in scope."""
    if not _allowed(user, RECHECK_TICKET):
        return False
    return supervised_scope(user).covers(ticket.organisation_id)


def can_acknowledge_alert(user: Any, alert: UptimeAlert) -> bool:
    """Acknowledge (确认) an uptime alert of a site the user supervises."""
    if not _allowed(user, ACKNOWLEDGE_ALERT):
        return False
    return supervised_scope(user).covers(alert.site.host_organisation_id)


# --- lookups: Http404 alike for missing and forbidden ----------------------------------------
def get_inspection_for(*, user: Any, inspection_id: int) -> Inspection:
    """Return an inspection the user may see."""
    inspection = visible_inspections(user).filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404
    return inspection


def get_inspection_for_tickets(*, user: Any, inspection_id: int) -> Inspection:
    """Return an inspection the user may open tickets from."""
    inspection = get_inspection_for(user=user, inspection_id=inspection_id)
    if not can_open_tickets(user, inspection):
        raise Http404
    return inspection


def get_site_to_inspect(*, user: Any, site_id: int) -> Any:
    """Return a registered site the user may start an inspection of."""
    site = next((p for p in sites_to_inspect(user) if p.pk == site_id), None)
    if site is None:
        raise Http404
    return site


def get_ticket_for(*, user: Any, ticket_id: int) -> Ticket:
    """Return a ticket the user may see."""
    ticket = visible_tickets(user).filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    return ticket


def get_ticket_for_recheck(*, user: Any, ticket_id: int) -> Ticket:
    """Return the ticket a user may re-check."""
    ticket = Ticket.objects.select_related("organisation", "site").filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    if not can_recheck_ticket(user, ticket):
        raise Http404
    return ticket


def get_probe_for(*, user: Any, probe_id: int) -> UptimeProbe:
    """Return an uptime probe the user may see."""
    probe = visible_probes(user).filter(pk=probe_id).first()
    if probe is None:
        raise Http404
    return probe


def get_alert_for(*, user: Any, alert_id: int) -> UptimeAlert:
    """Return an uptime alert the user may see."""
    alert = visible_alerts(user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def get_alert_for_acknowledgement(*, user: Any, alert_id: int) -> UptimeAlert:
    """Return an uptime alert the user may acknowledge."""
    alert = get_alert_for(user=user, alert_id=alert_id)
    if not can_acknowledge_alert(user, alert):
        raise Http404
    return alert
