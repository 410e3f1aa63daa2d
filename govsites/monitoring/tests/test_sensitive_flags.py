"""RS-16: a 监管员 flags sensitive content on a site; the clock runs by the variant (梁平: 1
working day, else the ordinary ticket deadline); removal closes the notice on re-check, and an
overdue one is reported by the inspector's platform mode and raised by the platform alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govsites.accounts.roles import Role
from govsites.core.calendar import add_working_days
from govsites.monitoring import services
from govsites.monitoring.choices import TicketStatus
from govsites.monitoring.models import Ticket
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services

from .admin_helpers import make_user
from .fakes import FakeHttpClient, FakeResponse

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 6, 1)
REASON = "页面含有未经核实的涉敏表述，请立即删除"


def _page(portal: Any) -> str:
    return probe_url(portal) + "gzdt/item-1/"


def _flag(portal: Any, user: Any, **kwargs: Any) -> Ticket:
    fields = {"url": _page(portal), "reason": REASON, "today": MONDAY, **kwargs}
    return services.flag_sensitive_content(site=portal, acting_user=user, **fields)


def _overdue(portal: Any, as_of: dt.date) -> list[Any]:
    findings = platform_findings(portal, base_url=probe_url(portal),
                                 rulebook=load_rulebook(site=portal), as_of=as_of)
    return [f for f in findings if f.rule_id == "content.flagged_overdue"]


@pytest.mark.parametrize(("variant", "days"), [("national", 3), ("liangping-2021", 1)])
def test_a_supervisors_flag_starts_the_variants_clock(portal: Any, variant: str,
                                                      days: int) -> None:
    rule_services.choose_variant(variant=variant, reason="本区施行该管理办法", site=None,
                                 acting_user=None)
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    ticket = _flag(portal, supervisor)
    assert ticket.rule_id == "content.flagged" and ticket.status == TicketStatus.OPEN
    assert ticket.deadline == add_working_days(MONDAY, days)
    assert _overdue(portal, ticket.deadline) == []
    [late] = _overdue(portal, ticket.deadline + dt.timedelta(days=1))
    assert late.url == ticket.url and f"#{ticket.pk}" in late.evidence


def test_only_a_supervisor_may_flag_and_a_bad_notice_changes_nothing(portal: Any) -> None:
    editor = make_user(portal.host_organisation, Role.EDITOR)
    with pytest.raises(PermissionDenied):
        _flag(portal, editor)
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    with pytest.raises(ValidationError) as blank:
        _flag(portal, supervisor, reason="  ")
    assert "reason" in blank.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        _flag(portal, supervisor, url="http://www.example.com/page/")
    assert "不属于所选网站" in elsewhere.value.message_dict["url"][0]
    assert not Ticket.objects.exists()


def test_removal_closes_the_notice_and_an_overdue_one_is_raised(portal: Any) -> None:
    rule_services.choose_variant(variant="liangping-2021", reason="本区施行该管理办法",
                                 site=None, acting_user=None)
    ticket = _flag(portal, make_user(portal.host_organisation, Role.SUPERVISOR))
    late = ticket.deadline + dt.timedelta(days=1)
    still_there = FakeHttpClient({ticket.url: FakeResponse(body="<p>页面仍在</p>")})
    assert services.follow_sensitive_flags(as_of=late, client=still_there) == {
        "closed": 0, "overdue": 1}
    [raised] = Ticket.objects.filter(rule_id="content.flagged_overdue")
    assert raised.url == ticket.url
    removed = FakeHttpClient({})  # every address answers 404
    assert services.follow_sensitive_flags(as_of=late, client=removed)["closed"] == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert _overdue(portal, late) == []
