"""Internal documents and 处置预案 (checklist RS-15, 亳州 第10条（三）): a text that limits its own
circulation, and a plan that does so or carries a staff contact list, are serious findings."""

from __future__ import annotations

import dataclasses

import pytest

from govsites.screening.engine import Screener
from govsites.screening.internal import INTERNAL_PLAN, RESTRICTED_DISTRIBUTION
from govsites.screening.rules import MOBILE, national_rules, national_ruleset
from govsites.screening.types import Category, Severity


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def internal(screener: Screener, text: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.evidence) for f in screener.scan_text(text, location="body")
            if f.rule_id in (INTERNAL_PLAN, RESTRICTED_DISTRIBUTION)]


CONTACTS = "联络表：张某 13812345678；李某 13912345678；王某 13712345678。"


@pytest.mark.parametrize("phrase", ["不得外传", "严禁外传", "内部掌握", "仅供内部", "内部传阅"])
def test_a_plan_that_limits_its_circulation_is_an_internal_plan(screener: Screener,
                                                                phrase: str) -> None:
    text = f"示例市群体性事件处置预案\n一、总则\n本预案{phrase}，各成员单位妥善保管。"
    [finding] = [f for f in screener.scan_text(text, location="body")
                 if f.category == Category.STATE_SECRET]
    assert (finding.rule_id, finding.evidence) == (INTERNAL_PLAN, phrase)
    assert finding.offset == text.index(phrase)
    assert finding.severity == Severity.SERIOUS
    assert "RS-15" in finding.extra["checklist"]


def test_a_plan_with_a_staff_contact_list_is_an_internal_plan(screener: Screener) -> None:
    text = f"示例市防汛抢险处置预案\n指挥部成员{CONTACTS}"
    assert internal(screener, text) == [(INTERNAL_PLAN, "预案")]
    [finding] = [f for f in screener.scan_text(text, location="body")
                 if f.rule_id == INTERNAL_PLAN]
    assert "3 个手机号码" in finding.extra["reason"]
    # in traditional characters too (the 繁体 edition of a page)
    assert internal(screener, "示例市防汛搶險處置預案 聯絡表 13812345678 13912345678 "
                              "13712345678") == [(INTERNAL_PLAN, "預案")]


def test_a_published_emergency_plan_with_office_telephones_is_not_reported(
        screener: Screener) -> None:
    text = ("示例市突发公共事件总体应急预案\n一、总则……\n应急值守电话：0753-2222222，"
            "联系人手机 13812345678。")
    assert internal(screener, text) == []
    assert internal(screener, "各地要完善应急预案，加强内部管理。") == []


def test_a_text_that_limits_its_circulation_is_an_internal_document(screener: Screener) -> None:
    text = "关于近期重点工作的情况通报\n……\n本通报仅限内部传阅，不得外传。"
    assert internal(screener, text) == [(RESTRICTED_DISTRIBUTION, "仅限内部"),
                                        (RESTRICTED_DISTRIBUTION, "不得外传")]
    assert internal(screener, "會議紀要（內部掌握）") == [(RESTRICTED_DISTRIBUTION, "內部掌握")]


def test_the_contact_list_counts_only_while_mobile_numbers_are_screened() -> None:
    base = national_ruleset()
    rules = dict(national_rules())
    rules[MOBILE] = dataclasses.replace(rules[MOBILE], enabled=False)
    screener = Screener(dataclasses.replace(base, rules=rules))
    assert internal(screener, f"示例市防汛抢险处置预案\n{CONTACTS}") == []


def test_the_internal_rules_can_be_switched_off() -> None:
    base = national_ruleset()
    rules = dict(national_rules())
    for rule_id in (INTERNAL_PLAN, RESTRICTED_DISTRIBUTION):
        rules[rule_id] = dataclasses.replace(rules[rule_id], enabled=False)
    screener = Screener(dataclasses.replace(base, rules=rules))
    assert internal(screener, "示例市处置预案\n本预案内部掌握，不得外传。") == []
