"""RS-14: detailed residential addresses (详细住址) are personal data: a flat (building, 单元,
room) or a place with its house or group number after a residence label, masked; office
addresses and the same words in other prose are not reported."""

from __future__ import annotations

import dataclasses

import pytest

from govsites.screening.addresses import ADDRESS
from govsites.screening.engine import Screener
from govsites.screening.rules import national_ruleset
from govsites.screening.types import Category, Severity


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_ruleset(national_ruleset())


def _addresses(screener: Screener, text: str) -> list[str]:
    return [f.evidence for f in screener.scan_text(text, location="body") if f.rule_id == ADDRESS]


def test_a_labelled_residence_with_its_flat_is_one_masked_finding(screener: Screener) -> None:
    text = "申请人王某，住址：示例市和平路12号3栋2单元501室，现已受理。"
    [finding] = [f for f in screener.scan_text(text, location="body") if f.rule_id == ADDRESS]
    assert finding.evidence == "示例市和平路**号*栋*单元***室"
    assert finding.category == Category.PRIVACY and finding.severity == Severity.SERIOUS
    assert "12号" not in finding.context and "501" not in finding.context
    assert text[finding.offset:].startswith("示例市和平路12号")


@pytest.mark.parametrize(("text", "evidence"), [
    ("家住示例县某某镇某某村3组15号的村民", "示例县某某镇某某村*组**号"),
    ("户籍地为示例市示例区幸福街8号", "示例市示例区幸福街*号"),
    ("小区3栋2单元501室发生火灾", "*栋*单元***室"),
    ("东方花园12幢一单元1102住户", "**幢一单元****"),
])
def test_a_village_address_or_a_flat_number_is_found(screener: Screener, text: str,
                                                     evidence: str) -> None:
    assert _addresses(screener, text) == [evidence]


@pytest.mark.parametrize("text", [
    "地址：示例市人民大道1号行政中心3楼302室",  # an office: floor and room, no 单元
    "办公地址：示例市人民路1号，邮编514000",
    "申请人住址变更的，须持户口本办理。",  # a label with no address after it
    "本课程第3单元练习，共12个单元",
    "住址：详见附件",
])
def test_office_addresses_and_other_prose_are_not_reported(screener: Screener,
                                                          text: str) -> None:
    assert _addresses(screener, text) == []


def test_the_address_rule_can_be_switched_off() -> None:
    base = national_ruleset()
    rules = dict(base.rules)
    rules[ADDRESS] = dataclasses.replace(rules[ADDRESS], enabled=False)
    screener = Screener.from_ruleset(dataclasses.replace(base, rules=rules))
    assert _addresses(screener, "住址：示例市和平路12号3栋2单元501室") == []
