"""Dictionary terms: matching, severities, suggestions, allowed contexts, evasions."""

from __future__ import annotations

import dataclasses

import pytest

from govsites.screening.engine import Screener
from govsites.screening.rules import (
    ContextRule,
    Ruleset,
    TermRule,
    national_default_severity,
    national_ruleset,
)
from govsites.screening.types import Category, Severity

# The opening of the tampered 丹东 regulation page (shared/seeds), as it was found online.
DANDONG_PARAGRAPH = (
    "澳门梦想之城:人民政府办公室关于印发澳门梦想之城:政府网站和政务新媒体管理办法的通知\n"
    "各县(市)区人民政府，各管委会，市政府各部门：\n"
    "《澳门梦想之城:政府网站和政务新媒体管理办法》已经市政府同意，现印发给你们，"
    "请认真贯彻执行。"
)


@pytest.fixture(scope="module")
def national() -> Screener:
    return Screener(national_ruleset())


def small_screener(*terms: TermRule, contexts: tuple[ContextRule, ...] = ()) -> Screener:
    return Screener(Ruleset(terms=terms, contexts=contexts))


def test_dandong_gambling_injection_is_caught_at_every_occurrence(national: Screener) -> None:
    findings = national.scan_text(DANDONG_PARAGRAPH, location="body")
    assert [f.evidence for f in findings] == ["澳门梦想之城"] * 3
    assert {f.rule_id for f in findings} == {"term.gambling"}
    assert {f.severity for f in findings} == {Severity.VETO}
    assert [f.offset for f in findings] == [
        i for i in range(len(DANDONG_PARAGRAPH)) if DANDONG_PARAGRAPH.startswith("澳门梦想之城", i)
    ]


def test_clean_government_text_raises_no_finding(national: Screener) -> None:
    text = DANDONG_PARAGRAPH.replace("澳门梦想之城:", "丹东市")
    assert national.scan_text(text, location="body") == []


def test_expression_error_carries_the_correct_form_as_suggestion(national: Screener) -> None:
    text = "会议由国务院办公室牵头，人力资源与社会保障局参加。"
    findings = national.scan_text(text, location="title")
    assert [(f.rule_id, f.evidence, f.suggestion) for f in findings] == [
        ("term.expression_error", "国务院办公室", "国务院办公厅"),
        ("term.expression_error", "人力资源与社会保障局", "人力资源和社会保障局"),
    ]
    assert {f.location for f in findings} == {"title"}
    assert {f.category for f in findings} == {Category.EXPRESSION_ERROR}


def test_correct_official_names_raise_no_finding(national: Screener) -> None:
    text = "国务院办公厅、国务院新闻办公室、国务院侨务办公室和人力资源和社会保障局联合发文。"
    assert national.scan_text(text, location="body") == []


def test_longest_term_wins_where_terms_overlap() -> None:
    screener = small_screener(TermRule("百家乐", Category.GAMBLING),
                              TermRule("真人百家乐", Category.GAMBLING))
    findings = screener.scan_text("点击进入真人百家乐官网", location="body")
    assert [(f.evidence, f.offset) for f in findings] == [("真人百家乐", 4)]


def test_term_without_own_severity_takes_its_category_rule_severity() -> None:
    screener = small_screener(TermRule("代开发票", Category.ADVERTISING),
                              TermRule("买凶杀人", Category.VIOLENCE, severity=Severity.WARNING))
    findings = screener.scan_text("代开发票，买凶杀人", location="body")
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("term.advertising", national_default_severity(Category.ADVERTISING)),
        ("term.violence", Severity.WARNING),
    ]


def test_allowed_context_suppresses_a_term_inside_it() -> None:
    screener = small_screener(
        TermRule("赌博网站", Category.GAMBLING),
        contexts=(ContextRule("打击赌博网站", Category.GAMBLING),),
    )
    assert screener.scan_text("公安机关依法打击赌博网站。", location="body") == []
    findings = screener.scan_text("欢迎访问赌博网站。", location="body")
    assert [f.evidence for f in findings] == ["赌博网站"]


def test_allowed_context_suppresses_only_the_occurrence_inside_it() -> None:
    screener = small_screener(
        TermRule("赌博网站", Category.GAMBLING),
        contexts=(ContextRule("打击赌博网站"),),
    )
    text = "打击赌博网站专项行动。本站推荐赌博网站。"
    findings = screener.scan_text(text, location="body")
    assert [f.offset for f in findings] == [text.rindex("赌博网站")]


def test_allowed_context_for_another_category_does_not_suppress() -> None:
    screener = small_screener(
        TermRule("赌博网站", Category.GAMBLING),
        contexts=(ContextRule("打击赌博网站", Category.ADVERTISING),),
    )
    assert len(screener.scan_text("打击赌博网站", location="body")) == 1


def test_national_allowed_contexts_cover_anti_fraud_warnings(national: Screener) -> None:
    assert national.scan_text("警惕裸聊敲诈，谨防刷单兼职诈骗。", location="body") == []
    assert [f.evidence for f in national.scan_text("同城裸聊", location="body")] == ["裸聊"]


def test_latin_terms_match_in_any_letter_case(national: Screener) -> None:
    findings = national.scan_text("BET365官方入口，Bet365注册", location="body")
    assert [f.evidence for f in findings] == ["BET365", "Bet365"]


def test_zero_width_characters_inside_a_term_do_not_hide_it(national: Screener) -> None:
    text = "欢迎来到澳门\u200b梦想\u200d之城"
    findings = national.scan_text(text, location="body")
    assert [f.rule_id for f in findings] == ["term.gambling"]
    assert findings[0].offset == text.index("澳门")


def test_offsets_count_characters_even_after_emoji(national: Screener) -> None:
    text = "🎰🎰 大奖 🎰 澳门梦想之城 手机13812345678"
    findings = national.scan_text(text, location="body")
    assert [(f.rule_id, f.offset) for f in findings] == [
        ("term.gambling", text.index("澳门")),
        ("privacy.mobile", text.index("138")),
    ]


def test_disabled_term_category_is_not_screened() -> None:
    base = national_ruleset()
    rules = dict(base.rules)
    rules["term.gambling"] = dataclasses.replace(rules["term.gambling"], enabled=False)
    screener = Screener(dataclasses.replace(base, rules=rules))
    assert screener.scan_text(DANDONG_PARAGRAPH, location="body") == []
    assert len(screener.scan_text("台湾总统", location="body")) == 1


def test_finding_context_shows_the_surrounding_words(national: Screener) -> None:
    text = "本办法由" + "澳门梦想之城" + "人民政府办公室负责解释。"
    (finding,) = national.scan_text(text, location="body")
    assert "本办法由澳门梦想之城人民政府办公室" in finding.context
    assert finding.extra["term"] == "澳门梦想之城"


def test_empty_text_and_empty_dictionary_are_harmless() -> None:
    screener = Screener(Ruleset())
    assert screener.scan_text("", location="body") == []
    assert screener.scan_text("澳门梦想之城", location="body") == []


def test_nfa_and_dfa_automata_find_the_same_matches() -> None:
    ruleset = national_ruleset()
    text = DANDONG_PARAGRAPH + "台湾总统、代开发票、百家乐。"
    with_dfa = Screener(ruleset, dfa=True).scan_text(text, location="body")
    capped = Screener(ruleset, dfa_max_units=10)
    assert not capped.uses_dfa
    assert Screener(ruleset).uses_dfa
    assert capped.scan_text(text, location="body") == with_dfa
    assert len(with_dfa) == 6


def test_terms_are_matched_in_traditional_characters(national: Screener) -> None:
    findings = national.scan_text("歡迎來到澳門夢想之城，臺灣總統發表講話", location="body")
    assert [(f.evidence, f.extra["term"], f.suggestion) for f in findings] == [
        ("澳門夢想之城", "澳门梦想之城", ""),
        ("臺灣總統", "台湾总统", "台湾地区领导人"),
    ]


def test_allowed_context_in_traditional_characters_suppresses_the_term(
    national: Screener,
) -> None:
    assert national.scan_text("公安機關依法打擊賭博網站。", location="body") == []
    assert [f.evidence for f in national.scan_text("歡迎訪問賭博網站", location="body")] == [
        "賭博網站"
    ]


def test_traditional_matching_can_be_switched_off() -> None:
    screener = Screener(national_ruleset(), traditional=False)
    assert screener.scan_text("澳門夢想之城", location="body") == []
    assert len(screener.scan_text("澳门梦想之城", location="body")) == 1
