"""CC-33 (梅州 第26条): units that are not 法定计量单位, half-width or doubled punctuation in
Chinese text, full-width digits and years mixing numerals, as hints (提示: shown to the reviewer, not holding the item) with the correct form."""

from __future__ import annotations

import dataclasses

from govsites.screening import national_ruleset, usage_findings
from govsites.screening.rules import Ruleset
from govsites.screening.types import Category, Severity
from govsites.screening.usage import NUMBER, PUNCTUATION, UNIT


def _found(text: str, ruleset: Ruleset | None = None) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.evidence, f.suggestion)
            for f in usage_findings(text, location="body", ruleset=ruleset or national_ruleset())]


def test_a_unit_that_is_not_legal_after_a_number_is_reported_with_the_legal_unit() -> None:
    assert _found("道路拓宽3公尺，收购稻谷五十市斤，屏幕55英寸。") == [
        (UNIT, "公尺", "米"), (UNIT, "市斤", "千克（公斤）"), (UNIT, "英寸", "厘米")]
    [finding] = usage_findings("气温98华氏度", location="title", ruleset=national_ruleset())
    assert finding.category == Category.CONTENT_STANDARD and finding.severity == Severity.INFO
    assert finding.location == "title" and finding.offset == 4
    assert finding.extra["checklist"] == "CC-33"


def test_unit_words_in_ordinary_prose_and_legal_units_are_not_reported() -> None:
    assert _found("通分时先找公分母，气势磅礴；全长3千米，重50千克，面积200亩。") == []


def test_half_width_and_doubled_punctuation_in_chinese_text_is_reported() -> None:
    assert _found("各单位,请于本周内报送:材料。。") == [
        (PUNCTUATION, ",", "，"), (PUNCTUATION, ":", "："), (PUNCTUATION, "。。", "。")]


def test_ellipses_dashes_and_punctuation_in_latin_text_are_not_reported() -> None:
    assert _found("等等……这是——示例。Hello, world: 3:2, https://www.gov.cn/") == []


def test_full_width_digits_and_years_mixing_numerals_are_reported() -> None:
    assert [hit[:2] for hit in _found("２０２６年计划与二0二六年总结")] == [
        (NUMBER, "２０２６"), (NUMBER, "二0二六")]
    assert _found("2026年与二〇二六年") == []


def test_a_rule_switched_off_is_not_reported() -> None:
    base = national_ruleset()
    rules = dict(base.rules)
    rules[PUNCTUATION] = dataclasses.replace(rules[PUNCTUATION], enabled=False)
    ruleset = dataclasses.replace(base, rules=rules)
    assert _found("各单位,请报送3公尺", ruleset) == [(UNIT, "公尺", "米")]
