"""密级 and 内部 markings (checklist RS-10, RS-09): veto findings, without flagging ordinary words."""

from __future__ import annotations

import dataclasses

import pytest

from govsites.screening.engine import Screener
from govsites.screening.rules import (
    CLASSIFIED_MARKING,
    INTERNAL_MARKING,
    national_rules,
    national_ruleset,
)
from govsites.screening.types import Category, Severity


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def markings(screener: Screener, text: str) -> list[tuple[str, str, int]]:
    return [(f.rule_id, f.evidence, f.offset) for f in screener.scan_text(text, location="body")
            if f.category == Category.STATE_SECRET]


@pytest.mark.parametrize("marking", [
    "秘密★1年", "机密★长期", "绝密★10年", "秘密★", "机密★6个月", "绝密★启用前", "秘密☆5年",
    "秘　密★１年", "機密★長期", "絕密★二十年",
])
def test_a_classification_with_its_star_is_a_veto_finding_wherever_it_stands(
        screener: Screener, marking: str) -> None:
    text = f"附件：{marking}关于调整有关事项的通知"
    findings = [f for f in screener.scan_text(text, location="body")
                if f.rule_id == CLASSIFIED_MARKING]
    assert [(f.evidence, f.offset) for f in findings] == [(marking, text.index(marking))]
    assert findings[0].severity == Severity.VETO
    assert findings[0].category == Category.STATE_SECRET
    assert "RS-10" in findings[0].extra["checklist"]


@pytest.mark.parametrize("line", [
    "秘密", "机密", "绝密", "内部", "内部资料", "内部文件", "内部明电", "注意保存", "内 部",
    "（内部资料）", "【内部】", "内部资料 注意保存", "秘密★1年 特急",
])
def test_a_marking_on_its_own_line_at_the_top_of_a_document_is_found(
        screener: Screener, line: str) -> None:
    text = f"000123\n{line}\n示例市人民政府办公室关于做好有关工作的通知\n各县区人民政府："
    found = markings(screener, text)
    assert [(evidence, offset) for _, evidence, offset in found] == [(line, 7)]


@pytest.mark.parametrize("text", [
    "进一步加强内部控制，完善内部审计制度。",
    "内部资料性出版物准印证核发办事指南",
    "保守国家秘密是公民的基本义务，机密文件要专人保管。",
    "本单位内部\n开展了保密教育",  # 内部 ends a sentence on the first line
    "商业秘密保护条例",
    "请注意保存好缴费凭证",
    "绝密行动电影首映",
])
def test_the_same_words_in_ordinary_prose_are_not_markings(screener: Screener,
                                                          text: str) -> None:
    assert markings(screener, text) == []


def test_a_bare_marking_word_counts_only_near_the_top(screener: Screener) -> None:
    lines = ["第一段。", "第二段。", "第三段。", "第四段。", "第五段。"]
    assert markings(screener, "\n".join([*lines, "内部"])) == []
    assert markings(screener, "\n".join(["内部", *lines])) == [(INTERNAL_MARKING, "内部", 0)]


def test_internal_marking_with_save_notice_is_found_anywhere(screener: Screener) -> None:
    text = "……（正文）……\n" * 20 + "内部资料，注意保存"
    assert markings(screener, text) == [
        (INTERNAL_MARKING, "内部资料，注意保存", text.index("内部资料"))]


def test_markings_in_an_attachment_page_header_are_found(screener: Screener) -> None:
    from govsites.screening.tests.builders import make_pdf

    pdf = make_pdf([["内部资料 注意保存", "2024年工作要点"], ["机密★1年", "正文"]])
    findings = screener.scan_file(pdf, "要点.pdf")
    assert [(f.rule_id, f.location) for f in findings
            if f.category == Category.STATE_SECRET] == [
        (INTERNAL_MARKING, "attachment:要点.pdf#page=1"),
        (CLASSIFIED_MARKING, "attachment:要点.pdf#page=2"),
    ]


def test_marking_rules_carry_their_checklist_ids_and_can_be_switched_off() -> None:
    rules = national_rules()
    assert rules[CLASSIFIED_MARKING].checklist[0] == "RS-10"
    assert "RS-10" in rules[INTERNAL_MARKING].checklist
    assert rules[CLASSIFIED_MARKING].severity == Severity.VETO
    base = national_ruleset()
    switched = dict(base.rules)
    switched[CLASSIFIED_MARKING] = dataclasses.replace(switched[CLASSIFIED_MARKING],
                                                       enabled=False)
    screener = Screener(dataclasses.replace(base, rules=switched))
    assert [f.rule_id for f in screener.scan_text("秘密★1年\n内部", location="b")] == [
        INTERNAL_MARKING]


def test_a_line_of_prose_ends_the_header(screener: Screener) -> None:
    prose = "根据市政府工作安排，现将二〇二四年度全市政府网站和政务新媒体检查情况通报如下，请各单位认真整改。"
    assert markings(screener, f"{prose}\n内部") == []
    assert markings(screener, f"示例市人民政府\n内部\n{prose}") == [(INTERNAL_MARKING, "内部", 8)]
