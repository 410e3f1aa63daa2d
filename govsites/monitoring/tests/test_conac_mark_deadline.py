"""ID-15: a site told to hang its 党政机关网站标识 has 5 working days (a parameter); after that
the inspector's platform mode reports it and the platform opens a 整改单, from the same check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps

from govsites import testing
from govsites.core.calendar import add_working_days
from govsites.monitoring.models import Ticket
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rule_alerts import raise_platform_alerts
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db
NOTICE = dt.date(2026, 6, 1)  # a Monday
RULE = "site.conac_mark_overdue"


def _findings(portal: Any, as_of: dt.date) -> list[Any]:
    found = platform_findings(portal, base_url=probe_url(portal),
                              rulebook=load_rulebook(site=portal), as_of=as_of)
    return [f for f in found if f.rule_id == RULE]


def _notified(portal: Any) -> Any:
    furniture = apps.get_model("content", "SiteFurniture")  # 设置 → 网站页面标识
    return furniture.objects.create(site=portal.site, conac_notified_on=NOTICE)


def test_no_notice_no_finding(portal: Any) -> None:
    assert _findings(portal, NOTICE + dt.timedelta(days=60)) == []


def test_an_unhung_mark_is_reported_the_day_after_the_fifth_working_day(portal: Any) -> None:
    _notified(portal)
    due = add_working_days(NOTICE, 5)
    assert _findings(portal, due) == []
    [late] = _findings(portal, due + dt.timedelta(days=1))
    assert late.extra["due"] == due.isoformat() and "5 个工作日" in late.message
    assert late.severity == "serious"


def test_a_hung_mark_clears_the_finding(portal: Any) -> None:
    furniture = _notified(portal)
    late = add_working_days(NOTICE, 5) + dt.timedelta(days=1)
    assert _findings(portal, late)
    furniture.conac_mark = testing.make_image("党政机关网站标识")
    furniture.conac_url = "https://bszs.conac.cn/sitename?method=show&id=1"
    furniture.save()
    assert _findings(portal, late) == []


def test_the_deadline_is_rule_data_and_an_override_moves_it(portal: Any) -> None:
    _notified(portal)
    rule_services.set_override(key="site.conac_mark.hang_within_working_days", value=10,
                               reason="本市通知给予10个工作日", site=None, acting_user=None)
    assert _findings(portal, add_working_days(NOTICE, 5) + dt.timedelta(days=1)) == []
    assert _findings(portal, add_working_days(NOTICE, 10) + dt.timedelta(days=1))


def test_the_platform_opens_one_ticket_for_the_same_finding(portal: Any) -> None:
    _notified(portal)
    late = add_working_days(NOTICE, 5) + dt.timedelta(days=1)
    opened = raise_platform_alerts(site=portal, as_of=late)
    assert [t.rule_id for t in opened] == [RULE]
    assert raise_platform_alerts(site=portal, as_of=late) == []
    assert Ticket.objects.filter(rule_id=RULE).count() == 1
