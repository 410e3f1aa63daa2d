"""GB/T 37668 (PA-07): the criteria no automated rule tests are evaluated by hand, per site and
criterion; a level is reached only when axe and the evaluators found nothing failing and every
criterion of the level has been judged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from govsites.core.models import AuditRecord
from govsites.publishing.accessibility import (
    AxeRule,
    assess,
    highest_level_reached,
    wcag20_criteria,
)
from govsites.publishing.selectors import manual_accessibility_results
from govsites.publishing.services import record_manual_accessibility_check

pytestmark = pytest.mark.django_db

IMAGE_ALT = AxeRule.from_tags("image-alt", ["wcag2a", "wcag111"])
CONTRAST = AxeRule.from_tags("color-contrast", ["wcag2aa", "wcag143"])
DAY = dt.date(2026, 11, 20)


def _levels_of(level: str) -> list[str]:
    order = ["A", "AA", "AAA"][: ["A", "AA", "AAA"].index(level) + 1]
    return [c for c, criterion in wcag20_criteria().items() if criterion.level in order]


def test_wcag_20_has_61_criteria_25_a_13_aa_23_aaa() -> None:
    levels = [criterion.level for criterion in wcag20_criteria().values()]
    assert (len(levels), levels.count("A"), levels.count("AA"), levels.count("AAA")) \
        == (61, 25, 13, 23)
    assert wcag20_criteria()["1.2.2"].name == "字幕（预录制）"


def test_a_level_is_reached_only_when_every_criterion_axe_does_not_test_is_judged_by_hand() -> None:
    one, two, three = assess([IMAGE_ALT, CONTRAST], {"/": []})
    assert one.automated_pass and not one.conforms
    assert len(one.awaiting) == 24 and "1.1.1" not in one.awaiting  # axe tests 1.1.1
    manual = {c: "pass" for c in _levels_of("A") if c != "1.1.1"}
    manual["1.2.2"] = "not_applicable"  # no video on the site
    one, two, _ = assess([IMAGE_ALT, CONTRAST], {"/": []}, manual=manual)
    assert one.conforms and not two.conforms
    assert len(two.awaiting) == 12  # AA criteria but 1.4.3 (axe)
    assert highest_level_reached([one, two, three]) == "一级"
    assert "达到本级" in one.summary() and "待评测 12 项" in two.summary()


def test_a_manual_failure_or_an_axe_violation_keeps_the_level_from_being_reached() -> None:
    manual = {c: "pass" for c in _levels_of("AAA")}
    levels = assess([IMAGE_ALT, CONTRAST], {"/": []}, manual=manual)
    assert highest_level_reached(levels) == "三级"
    manual["2.1.1"] = "fail"  # a keyboard trap found by hand
    levels = assess([IMAGE_ALT, CONTRAST], {"/": []}, manual=manual)
    assert highest_level_reached(levels) == "" and levels[0].manual_failed == ["2.1.1"]
    manual["2.1.1"] = "pass"
    levels = assess([IMAGE_ALT, CONTRAST], {"/": ["color-contrast"]}, manual=manual)
    assert highest_level_reached(levels) == "一级"


def test_manual_results_are_recorded_per_site_audited_and_the_latest_counts(portal: Any) -> None:
    record_manual_accessibility_check(site=portal, criterion="1.2.2", result="fail",
                                      checked_on=DAY - dt.timedelta(days=30),
                                      evaluator="某评测中心", acting_user=None)
    record_manual_accessibility_check(site=portal, criterion="1.2.2", result="pass",
                                      checked_on=DAY, evaluator="某评测中心", acting_user=None,
                                      note="视频已加字幕")
    assert manual_accessibility_results(portal) == {"1.2.2": "pass"}
    assert AuditRecord.objects.filter(action="publishing.accessibility.manual_check").count() == 2
    for criterion, result, message in (("9.9.9", "pass", r"不是 WCAG 2\.0 的成功准则"),
                                       ("1.2.2", "good", "结果应为")):
        with pytest.raises(ValidationError, match=message):
            record_manual_accessibility_check(site=portal, criterion=criterion, result=result,
                                              checked_on=DAY, evaluator="某评测中心",
                                              acting_user=None)


def test_the_command_records_a_result_and_lists_what_is_left(portal: Any,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    host = portal.site.hostname
    call_command("accessibility_manual", "--site", host, "1.3.2", "pass",
                 "--evaluator", "某评测中心", "--on", "2026-11-01")
    call_command("accessibility_manual", "--site", host)
    out = capsys.readouterr().out
    assert "已登记" in out and "1.3.2\tA\t有意义的序列\t通过" in out
    assert "1.2.2\tA\t字幕（预录制）\t待评测" in out
    with pytest.raises(CommandError, match=r"不是 WCAG 2\.0 的成功准则"):
        call_command("accessibility_manual", "--site", host, "7.1", "pass",
                     "--evaluator", "某评测中心")
