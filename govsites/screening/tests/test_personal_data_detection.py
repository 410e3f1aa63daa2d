"""Personal data: resident IDs, mobile numbers and bank cards, found, validated and masked."""

from __future__ import annotations

from datetime import date

import pytest

from govsites.screening.engine import Screener
from govsites.screening.privacy import (
    id_check_character,
    is_resident_id,
    mask_bank_card,
    mask_mobile,
    mask_resident_id,
    passes_luhn,
)
from govsites.screening.rules import national_ruleset
from govsites.screening.scanning import CONTEXT_WIDTH
from govsites.screening.types import Category, Severity

TODAY = date(2025, 6, 1)
# Valid numbers below were computed by hand with the GB 11643 weights and the Luhn rule;
# 11010519491231002X is the worked example printed in GB 11643-1999 itself.
STANDARD_EXAMPLE_ID = "11010519491231002X"
VALID_ID = "110101199003071233"
VALID_CARD_16 = "6222021234567894"
VALID_CARD_19 = "6217001234567890122"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def rule_ids(screener: Screener, text: str) -> list[str]:
    return [f.rule_id for f in screener.scan_text(text, location="body", today=TODAY)]


def privacy_findings(screener: Screener, text: str) -> list[tuple[str, str]]:
    return [(f.rule_id, f.evidence) for f in screener.scan_text(text, location="body", today=TODAY)
            if f.category == Category.PRIVACY]


# -- resident ID ---------------------------------------------------------------------------

def test_check_character_matches_the_worked_example_of_gb_11643() -> None:
    assert id_check_character("11010519491231002") == "X"


def test_resident_id_with_valid_check_digit_is_found_and_masked(screener: Screener) -> None:
    text = f"申请人王某某，公民身份号码{VALID_ID}，现住示例市。"
    findings = screener.scan_text(text, location="body", today=TODAY)
    assert [(f.rule_id, f.evidence) for f in findings] == [
        ("privacy.resident_id", "110101********1233")
    ]
    finding = findings[0]
    assert finding.category == Category.PRIVACY
    assert finding.severity == Severity.SERIOUS
    assert finding.offset == text.index(VALID_ID)
    assert VALID_ID not in finding.context
    assert "110101********1233" in finding.context


def test_resident_id_ending_in_x_is_found_in_either_case(screener: Screener) -> None:
    assert privacy_findings(screener, f"号码：{STANDARD_EXAMPLE_ID}。") == [
        ("privacy.resident_id", "110105********002X")
    ]
    assert privacy_findings(screener, f"号码：{STANDARD_EXAMPLE_ID.lower()}。") == [
        ("privacy.resident_id", "110105********002X")
    ]


def test_resident_id_in_full_width_digits_is_found(screener: Screener) -> None:
    full_width = VALID_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert privacy_findings(screener, f"身份证{full_width}") == [
        ("privacy.resident_id", "110101********1233")
    ]


def test_resident_id_with_wrong_check_digit_is_not_reported(screener: Screener) -> None:
    assert rule_ids(screener, "身份证号110101199003071234。") == []
    assert rule_ids(screener, "身份证号110105194912310021。") == []


def test_resident_id_with_impossible_birth_date_is_not_reported(screener: Screener) -> None:
    # 2001-02-29 does not exist; the check digit is right, and the number even passes Luhn
    # with a Visa-like prefix, yet it is neither an ID nor a bank card.
    assert is_resident_id("440304200102294565", today=TODAY) is False
    assert passes_luhn("440304200102294565")
    assert rule_ids(screener, "证件号码440304200102294565。") == []
    # month 13
    assert rule_ids(screener, "证件号码110101199013071237。") == []


def test_resident_id_born_in_the_future_or_before_1900_is_not_reported(
    screener: Screener,
) -> None:
    assert rule_ids(screener, "证件号码110101209001011233。") == []
    assert rule_ids(screener, "证件号码110101188903071235。") == []


def test_resident_id_with_unknown_region_is_not_reported(screener: Screener) -> None:
    assert is_resident_id("990101199003071237", today=TODAY) is False
    assert rule_ids(screener, "编码990101199003071237。") == []


def test_resident_id_inside_a_longer_digit_run_is_not_reported(screener: Screener) -> None:
    assert rule_ids(screener, f"流水9{VALID_ID}。") == []
    assert rule_ids(screener, f"流水{VALID_ID}7。") == []


def test_resident_id_glued_to_letters_is_not_reported(screener: Screener) -> None:
    assert rule_ids(screener, f"编号A{VALID_ID}。") == []
    assert rule_ids(screener, f"编号{VALID_ID}B。") == []


# -- mobile --------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "１３８１２３４５６７８",
])
def test_mobile_number_is_found_in_common_spellings(screener: Screener, written: str) -> None:
    found = privacy_findings(screener, f"联系人：张三，手机{written}。")
    assert len(found) == 1
    rule_id, evidence = found[0]
    assert rule_id == "privacy.mobile"
    assert evidence.endswith("138****5678")


def test_mobile_number_finding_is_a_warning_by_national_default(screener: Screener) -> None:
    findings = screener.scan_text("手机19912345678", location="body", today=TODAY)
    assert [(f.rule_id, f.severity) for f in findings] == [("privacy.mobile", Severity.WARNING)]


@pytest.mark.parametrize("number", [
    "12345678901",  # 12x is not a mobile segment
    "10086123456",  # 10x neither
    "14012345678",  # 140 is not an 11-digit personal segment
    "15412345678",  # 154 is unallocated
])
def test_eleven_digit_number_outside_mobile_segments_is_not_reported(
    screener: Screener, number: str,
) -> None:
    assert rule_ids(screener, f"编码{number}。") == []


@pytest.mark.parametrize("text", [
    "流水号113812345678。",  # 12 digits: the mobile number is inside a longer run
    "订单138123456789。",
    "号码0138 1234 5678。",
    "版本v13812345678。",
    "数值3.13812345678。",
    "金额13800000000元。",  # an amount, not a phone
    "￥13800000000",
])
def test_mobile_shaped_digits_inside_other_things_are_not_reported(
    screener: Screener, text: str,
) -> None:
    assert rule_ids(screener, text) == []


def test_mobile_number_labelled_as_a_code_is_not_reported(screener: Screener) -> None:
    assert rule_ids(screener, "档案编号：13812345678。") == []
    assert rule_ids(screener, "联系电话：13812345678。") == ["privacy.mobile"]


# -- bank card -----------------------------------------------------------------------------

def test_bank_card_passing_luhn_is_found_and_masked(screener: Screener) -> None:
    assert privacy_findings(screener, f"收款账号{VALID_CARD_16}，户名张三。") == [
        ("privacy.bank_card", "6222 **** **** 7894")
    ]
    assert privacy_findings(screener, f"卡号：{VALID_CARD_19}") == [
        ("privacy.bank_card", "6217 **** **** *** 0122")
    ]


def test_bank_card_written_in_groups_of_four_is_found(screener: Screener) -> None:
    assert privacy_findings(screener, "卡号 6222 0212 3456 7894 已冻结") == [
        ("privacy.bank_card", "6222 **** **** 7894")
    ]
    assert privacy_findings(screener, "卡号4111-1111-1111-1111。") == [
        ("privacy.bank_card", "4111 **** **** 1111")
    ]


def test_bank_card_failing_luhn_is_not_reported(screener: Screener) -> None:
    assert passes_luhn("6222021234567895") is False
    assert rule_ids(screener, "卡号6222021234567895。") == []
    assert rule_ids(screener, "卡号6222 0212 3456 7895。") == []


def test_luhn_valid_number_without_a_card_issuer_prefix_is_not_reported(
    screener: Screener,
) -> None:
    # 1234567812345670 passes Luhn but no card scheme starts with 1.
    assert passes_luhn("1234567812345670")
    assert rule_ids(screener, "编码1234567812345670。") == []


def test_bank_card_inside_a_longer_digit_run_is_not_reported(screener: Screener) -> None:
    assert rule_ids(screener, f"序列{VALID_CARD_16}00001。") == []
    assert rule_ids(screener, "序列6222 0212 3456 7894 1234 5678") == []


def test_card_shaped_number_labelled_as_an_index_code_is_not_reported(
    screener: Screener,
) -> None:
    assert rule_ids(screener, f"索引号：{VALID_CARD_16}") == []


# -- things that are not personal data ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2021年3月15日发布，20210315期。",
    "咨询电话：0415-2812345，传真（0415）2812346。",
    "电话041528123456。",
    "丹政办发〔2019〕43号",
    "索引号：11441700007280420Y/2021-00050",
    "索引号：000014349/2021-00050",
    "邮政编码：118000",
    "统一社会信用代码：11210600001234567P",
    "预算金额1,234,567,890.00元，同比增长12.5%。",
    "时间戳20210315123045。",
    "服务热线 400-810-1234、12345。",
])
def test_dates_landlines_document_numbers_codes_and_amounts_raise_no_finding(
    screener: Screener, text: str,
) -> None:
    assert rule_ids(screener, text) == []


def test_masks_keep_only_the_agreed_digits() -> None:
    assert mask_resident_id("110101199003071233") == "110101********1233"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_bank_card("6222021234567894") == "6222 **** **** 7894"


def test_context_of_any_finding_masks_numbers_near_it(screener: Screener) -> None:
    text = f"持卡人身份证{VALID_ID}，卡号{VALID_CARD_16}。"
    findings = screener.scan_text(text, location="body", today=TODAY)
    assert [f.rule_id for f in findings] == ["privacy.resident_id", "privacy.bank_card"]
    for finding in findings:
        assert VALID_ID not in finding.context
        assert VALID_CARD_16 not in finding.context
        assert "1990030712" not in finding.context


def test_disabled_detector_reports_nothing() -> None:
    ruleset = national_ruleset()
    rules = dict(ruleset.rules)
    rules["privacy.mobile"] = rules["privacy.mobile"].__class__(
        rule_id="privacy.mobile", category=Category.PRIVACY, severity=Severity.WARNING,
        enabled=False,
    )
    screener = Screener(ruleset.__class__(terms=ruleset.terms, contexts=ruleset.contexts,
                                          domains=ruleset.domains, rules=rules))
    assert [f.rule_id for f in screener.scan_text(f"手机13812345678，身份证{VALID_ID}",
                                                   location="body", today=TODAY)] == [
        "privacy.resident_id"
    ]


def test_context_never_shows_part_of_a_number_cut_at_its_edge(screener: Screener) -> None:
    # The term starts CONTEXT_WIDTH characters after the middle of a grouped number, so a
    # naive window would start inside the number and show its middle groups unmasked.
    number = "6222 0212 3456 7894 128"
    text = "卡号" + number + "，详见：代开发票"
    assert text.index("代开发票") - CONTEXT_WIDTH == text.index("12 3456")
    findings = screener.scan_text(text, location="body", today=TODAY)
    term = next(f for f in findings if f.rule_id == "term.advertising")
    assert "0212" not in term.context
    assert "3456" not in term.context


# -- the digit-run search ------------------------------------------------------------------

def test_searching_only_the_digit_runs_finds_what_a_search_of_the_whole_text_finds(
        screener: Screener) -> None:
    import random

    from govsites.screening.privacy import PersonalDataDetector

    detector = PersonalDataDetector()
    pieces = [VALID_ID, STANDARD_EXAMPLE_ID, VALID_CARD_16, VALID_CARD_19, "13812345678",
              "138 1234 5678", "138-1234-5678", "6222 0212 3456 7894", "+8613812345678",
              "2024年5月", "索引号：11441700007280420Y/2021-00050", "编号", "金额", "元", " ",
              "-", "X", "x", "a", "。", "，", "0", "9", "12", "1380000", "号码", "1.5",
              "手机", "卡号", "⻔", "★", "abc", "\n"]
    rng = random.Random(2025)
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        expected = [(m.rule_id, m.start, m.masked) for m in detector.find(text, today=TODAY)]
        found = [(f.rule_id, f.offset, f.evidence)
                 for f in screener.scan_text(text, location="b", today=TODAY)
                 if f.category == Category.PRIVACY]
        assert found == expected, text


def test_full_width_digits_are_still_found(screener: Screener) -> None:
    wide = "".join(chr(ord(char) + 0xFEE0) for char in "13812345678")
    assert privacy_findings(screener, f"联系人手机{wide}。") == [
        ("privacy.mobile", "138****5678")]
