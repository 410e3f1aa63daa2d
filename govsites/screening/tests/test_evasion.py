"""Disguised terms: separators, pinyin, look-alike characters; and what must stay clean."""

from __future__ import annotations

import pickle
import random

import pytest

from govsites.screening.engine import Screener
from govsites.screening.evasion import EvasionMatcher
from govsites.screening.normalise import (
    character_tables,
    fold_term,
    normalisation_data,
    pinyin_forms,
)
from govsites.screening.rules import ContextRule, Ruleset, TermRule, national_ruleset
from govsites.screening.types import Category, Severity


@pytest.fixture(scope="module")
def national() -> Screener:
    return Screener(national_ruleset())


def found(screener: Screener, text: str) -> list[tuple[str, str, int]]:
    """Return (term, evidence, offset) of the term findings in text."""
    return [(f.extra["term"], f.evidence, f.offset)
            for f in screener.scan_text(text, location="body") if "term" in f.extra]


@pytest.mark.parametrize("disguise", [
    "澳 门 赌 场", "澳-门-赌-场", "澳.门★赌|场", "澳　门　赌　场", "澳 - 门 - 赌 - 场",
    "澳_门*赌/场", "澳·门·赌·场", "澳～门～赌～场", "澳门 赌场", "澳門 賭場", "澳 門 赌 场",
])
def test_a_term_split_by_separators_is_found_with_its_original_evidence(
        national: Screener, disguise: str) -> None:
    text = f"欢迎光临{disguise}，注册就送"
    (finding,) = national.scan_text(text, location="body")
    assert finding.rule_id == "term.gambling"
    assert finding.severity == Severity.VETO
    assert finding.evidence == disguise
    assert finding.offset == text.index(disguise)
    assert disguise.split()[0] in finding.context
    assert finding.extra["term"] == "澳门赌场"
    assert "separators" in finding.extra["evasion"]


def test_zero_width_characters_between_every_character_do_not_hide_a_term(
        national: Screener) -> None:
    text = "欢迎光临澳\u200b门\u200c赌\u200d场"
    assert found(national, text) == [("澳门赌场", "澳门赌场", 4)]


@pytest.mark.parametrize("spelled", [
    "aomenduchang", "aomen duchang", "Ao Men Du Chang", "AOMEN-DUCHANG", "àomén dǔchǎng",
    "ÀOMÉN DǓCHǍNG", "ao.men.du.chang", "Aomen  Duchang",
])
def test_a_term_written_in_pinyin_is_found_as_a_whole_word(national: Screener,
                                                         spelled: str) -> None:
    text = f"点击进入 {spelled} 官网"
    (finding,) = national.scan_text(text, location="body")
    assert (finding.extra["term"], finding.evidence) == ("澳门赌场", spelled)
    assert "pinyin" in finding.extra["evasion"]


def test_pinyin_inside_a_longer_latin_word_is_not_a_term(national: Screener) -> None:
    assert national.scan_text("laomenduchang aomenduchangs xaomen duchang", location="b") == []


def test_pinyin_applies_only_to_the_categories_the_data_names(national: Screener) -> None:
    data = normalisation_data()
    assert Category.EXPRESSION_ERROR not in data.pinyin_categories
    assert Category.GAMBLING in data.pinyin_categories
    # 台湾总统 is an expression error: its pinyin is an ordinary transliteration.
    assert national.scan_text("taiwan zongtong", location="b") == []
    assert [f.extra["term"] for f in national.scan_text("falun dafa hao", location="b")] == [
        "法轮大法好"]


def test_short_terms_are_not_matched_in_pinyin() -> None:
    # 裸聊 luoliao and 援交 yuanjiao (also 远郊) have too few syllables to be told apart.
    assert pinyin_forms("援交", min_syllables=normalisation_data().pinyin_min_syllables) == ()
    screener = Screener(Ruleset(terms=(TermRule("援交", Category.PORNOGRAPHY),)))
    assert screener.scan_text("yuanjiao 远郊公园", location="b") == []


def test_pinyin_of_u_umlaut_is_matched_as_v_and_as_u() -> None:
    assert pinyin_forms("绿色赌场", min_syllables=3) == ("lvseduchang", "luseduchang")
    screener = Screener(Ruleset(terms=(TermRule("绿色赌场", Category.GAMBLING),)))
    for spelled in ("lvse duchang", "lüsè dǔchǎng", "luse duchang"):
        assert [f.evidence for f in screener.scan_text(spelled, location="b")] == [spelled]


@pytest.mark.parametrize(("disguise", "term"), [
    ("澳⻔赌场", "澳门赌场"),  # CJK radical drawn like 门
    ("澳⾨賭場", "澳门赌场"),  # Kangxi radical 門 (NFKC), then traditional
    ("\uf90a沙娱乐城", "金沙娱乐城"),  # CJK compatibility ideograph 金
    ("ｂｅｔ３６５", "bet365"),  # full-width Latin and digits
    ("bеt365", "bet365"),  # Cyrillic е
    ("ΒΕΤ365", "bet365"),  # Greek capitals
    ("𝐛𝐞𝐭𝟑𝟔𝟓", "bet365"),  # mathematical bold
])
def test_look_alike_characters_are_read_as_the_characters_they_imitate(
        national: Screener, disguise: str, term: str) -> None:
    text = f"官方网址{disguise}首页"
    findings = national.scan_text(text, location="body")
    assert [(f.extra["term"], f.evidence, f.offset) for f in findings] == [
        (term, disguise, text.index(disguise))]
    assert "lookalike" in findings[0].extra["evasion"]


def test_traditional_characters_go_through_the_traditional_path_and_the_folding(
        national: Screener) -> None:
    assert found(national, "澳門賭場") == [("澳门赌场", "澳門賭場", 0)]
    # Mixed with separators, the window folds 門 into 门 as well.
    assert found(national, "澳 門 赌 场") == [("澳门赌场", "澳 門 赌 场", 0)]


@pytest.mark.parametrize("text", [
    "公安机关持续打击跨境赌博，查处涉赌案件12起。",
    "南京市六合区人民政府办公室",
    "中国福利彩票发行管理中心公告",
    "澳门特别行政区行政长官会见访问团。",
    "澳 门 特 别 行 政 区",
    "代表团先后访问了澳门，赌场业监管部门介绍了情况。",
    "澳门（赌场监管局）",
    "“澳门”赌场",
    "澳门\n赌场",
    "澳门    赌场",
    "Macau aomen tourism; dubo is not a term",
    "打击 网上 赌场",
    "打击網上賭場",
    "严厉打击非法 代开 发票的违法行为",
])
def test_legitimate_text_sharing_the_characters_stays_clean(national: Screener,
                                                             text: str) -> None:
    assert [f for f in national.scan_text(text, location="body") if "term" in f.extra] == []


def test_a_sentence_break_between_the_characters_of_a_term_is_never_skipped(
        national: Screener) -> None:
    for separator in "，。、；：！？,;:!?":
        assert found(national, f"去了澳门{separator}赌场") == []


def test_separator_runs_longer_than_the_data_allows_end_the_term(national: Screener) -> None:
    limit = normalisation_data().max_separator_run
    assert found(national, "澳" + " " * limit + "门赌场")
    assert found(national, "澳" + " " * (limit + 1) + "门赌场") == []


def test_allowed_contexts_apply_to_the_normalised_text() -> None:
    screener = Screener(Ruleset(
        terms=(TermRule("网上赌场", Category.GAMBLING),),
        contexts=(ContextRule("打击网上赌场", Category.GAMBLING),),
    ))
    for text in ("打击 网 上 赌 场", "打 击 网上赌场", "打擊網上赌场", "打击网上 赌场"):
        assert screener.scan_text(text, location="b") == [], text
    assert len(screener.scan_text("欢迎 网 上 赌 场", location="b")) == 1


def test_evasion_matching_can_be_switched_off() -> None:
    screener = Screener(national_ruleset(), evasion=False)
    assert screener.scan_text("澳 门 赌 场 aomenduchang", location="b") == []
    assert len(screener.scan_text("澳门赌场", location="b")) == 1


def test_a_screener_pickles_as_its_rules_and_finds_the_same_in_another_process() -> None:
    screener = Screener(national_ruleset())
    payload = pickle.dumps(screener)
    assert len(payload) < 100_000  # the rules, not the compiled automata
    copy = pickle.loads(payload)
    text = "澳 门 赌 场、ａｏｍｅｎ　ｄｕｃｈａｎｇ、台湾总统"
    assert copy.scan_text(text, location="b") == screener.scan_text(text, location="b")


def test_a_term_of_separators_and_letters_folds_like_the_text() -> None:
    assert fold_term("Bet 365") == "bet365"
    assert fold_term("澳門 賭場") == "澳门赌场"
    screener = Screener(Ruleset(terms=(TermRule("Bet 365", Category.GAMBLING),)))
    assert [f.evidence for f in screener.scan_text("BET-365 和 b e t 3 6 5", location="b")] \
        == ["BET-365", "b e t 3 6 5"]


# -- the gates let through everything the window matcher accepts ---------------------------

FILLER = ("根据工作安排，现将有关事项通知如下。请各单位认真贯彻执行，联系电话 0415-2812345。"
          "Django 6.1 文档 https://www.gov.cn/ 中的说明 (详见附件) 日期/时间 2024-05-06。")


def _disguise(rng: random.Random, term: str) -> str:
    """Return term disguised at random, the way the matcher claims to see through."""
    tables = character_tables()
    soft_ascii = " -._*/|~+#"
    soft_other = "★☆●·•—～　\u3000\u00a0‧※→■◆｜／－．＊"
    lookalike = {fold: char for char, fold in tables.fold.items()
                 if len(fold) == 1 and tables.fold_kind.get(char) == "lookalike"
                 and not fold.isascii()}
    pieces = []
    for char in term:
        if rng.random() < 0.3 and char in lookalike:
            char = lookalike[char]
        pieces.append(char)
    separators = soft_ascii + soft_other
    out = pieces[0]
    for char in pieces[1:]:
        if rng.random() < 0.6:
            out += "".join(rng.choice(separators) for _ in range(rng.randint(1, 3)))
        out += char
    return out


def _reference(screener: Screener, text: str, monkeypatch: pytest.MonkeyPatch) -> list:
    """Scan with the whole text as one window: what the gates must never lose."""
    with monkeypatch.context() as patched:
        patched.setattr(EvasionMatcher, "windows",
                        lambda self, text, **_: [(0, len(text))])
        return screener.scan_text(text, location="body")


def test_the_gates_find_every_disguise_the_whole_text_matcher_finds(
        national: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20250601)
    terms = [term.text for term in national_ruleset().terms
             if term.category != Category.EXPRESSION_ERROR]
    for _ in range(300):
        parts, disguised = [], []
        for _ in range(rng.randint(1, 3)):
            start = rng.randrange(len(FILLER))
            disguised.append(rng.choice(terms))
            parts += [FILLER[start:start + rng.randint(0, 40)], "，",
                      _disguise(rng, disguised[-1]), "，"]
        text = "".join(parts)
        gated = national.scan_text(text, location="body")
        assert gated == _reference(national, text, monkeypatch), text
        terms_found = {f.extra["term"] for f in gated if "term" in f.extra}
        assert all(any(term in other for other in terms_found) for term in disguised), text


def test_the_gates_agree_with_the_whole_text_matcher_on_ordinary_text(
        national: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    alphabet = FILLER + "澳门赌场百家乐真人太阳城 ★　·-" + "aomenduchang " * 3
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 80)))
        assert national.scan_text(text, location="b") == _reference(national, text,
                                                                     monkeypatch), text


def test_combining_tone_marks_are_read_like_precomposed_ones(national: Screener) -> None:
    decomposed = "a\u0300ome\u0301n du\u030cchang"
    assert [f.evidence for f in national.scan_text(f"进入 {decomposed} 官网", location="b")] == [
        decomposed]


def test_a_long_text_screened_piece_by_piece_gives_what_one_piece_gives(
        national: Screener, monkeypatch: pytest.MonkeyPatch) -> None:
    from govsites.screening import scanning

    rng = random.Random(5)
    lines = [FILLER, "澳 门 赌 场", "联系人手机13812345678", "身份证号110101199003071233",
             "详见 https://shop.example.com/a", "aomen duchang", "澳.门★赌|场",
             "卡号6222021234567894", "澳門賭場", "ｂｅｔ３６５", "秘密★1年"]
    text = "\n".join("".join(rng.choice(lines) for _ in range(rng.randint(1, 4)))
                     for _ in range(3000))
    assert len(scanning.pieces(text)) > 2
    piecewise = national.scan_text(text, location="b")
    monkeypatch.setattr(scanning, "PIECE_CHARS", 10 ** 9)
    assert len(scanning.pieces(text)) == 1
    assert national.scan_text(text, location="b") == piecewise
    assert len(piecewise) > 3000
