"""PA-12: an 适老化 / 无障碍 evaluation passes at 60 of 100 and its 信息无障碍标识 is valid two
years (rule data); the platform check reports a failed evaluation, warns before the mark expires
and reports it once expired."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.core.models import AuditRecord
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services
from govsites.sites.selectors import latest_accessibility_evaluation
from govsites.sites.services import record_accessibility_evaluation

pytestmark = pytest.mark.django_db
RULE = "site.accessibility_mark"
DAY = dt.date(2025, 3, 10)


def _evaluate(site: Any, score: Any, on: dt.date = DAY) -> Any:
    return record_accessibility_evaluation(site=site, evaluated_on=on, evaluator="某评测中心",
                                           score=score, acting_user=None)


def _found(site: Any, as_of: dt.date) -> list[InspectionFinding]:
    findings = platform_findings(site, base_url=probe_url(site),
                                 rulebook=load_rulebook(site=site), as_of=as_of)
    return [f for f in findings if f.rule_id == RULE]


def test_an_evaluation_passes_at_60_of_100_and_its_mark_is_valid_two_years(portal: Any) -> None:
    passed = _evaluate(portal, "60")
    assert passed.passed and passed.mark_valid_until == dt.date(2027, 3, 10)
    assert (passed.full_score, passed.pass_score, passed.score) == (100, 60, Decimal("60"))
    failed = _evaluate(portal, "59.5")
    assert not failed.passed and failed.mark_valid_until is None
    assert AuditRecord.objects.filter(action="sites.accessibility.evaluate").count() == 2


def test_a_score_out_of_range_or_a_future_date_is_refused_and_nothing_is_recorded(
        portal: Any) -> None:
    for score in ("101", "-1", "六十", "nan"):
        with pytest.raises(ValidationError, match="评测得分应为 0 至 100"):
            _evaluate(portal, score)
    with pytest.raises(ValidationError, match="评测日期不能晚于今天"):
        _evaluate(portal, "80", on=timezone.localdate() + dt.timedelta(days=1))
    assert latest_accessibility_evaluation(portal) is None


def test_a_failed_evaluation_is_a_finding(portal: Any) -> None:
    _evaluate(portal, "45")
    [finding] = _found(portal, DAY + dt.timedelta(days=1))
    assert finding.extra["state"] == "failed" and "45" in finding.evidence


def test_the_mark_warns_before_expiry_and_is_a_finding_once_expired(portal: Any) -> None:
    _evaluate(portal, "88")
    assert _found(portal, dt.date(2026, 12, 1)) == []
    [warning] = _found(portal, dt.date(2027, 1, 20))  # 49 days left, within 60
    assert warning.extra["state"] == "expiring" and warning.severity == "warning"
    [expired] = _found(portal, dt.date(2027, 3, 11))
    assert expired.extra["state"] == "expired" and expired.severity == "serious"
    rule_services.set_override(key="accessibility.evaluation.mark_valid_years", value=3,
                               site=None, reason="试行：标识有效期3年", acting_user=None)
    assert _evaluate(portal, "88", on=dt.date(2025, 6, 1)).mark_valid_until == dt.date(2028, 6, 1)
    assert _found(portal, dt.date(2027, 3, 11)) == []  # the newest evaluation counts


def test_a_site_never_evaluated_is_a_finding_only_when_the_rules_require_it(portal: Any) -> None:
    assert _found(portal, DAY) == []
    rule_services.set_override(key=f"{RULE}.required", value=True, site=None,
                               reason="本市要求各网站完成适老化评测", acting_user=None)
    [finding] = _found(portal, DAY)
    assert finding.extra["state"] == "none"
