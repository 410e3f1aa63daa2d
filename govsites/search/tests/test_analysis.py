"""The analyser: one normalisation and segmentation for index and query."""

from __future__ import annotations

import pytest

from govsites.search import analysis


def test_traditional_and_simplified_text_give_the_same_tokens() -> None:
    assert analysis.index_tokens("政務公開") == analysis.index_tokens("政务公开")


@pytest.mark.parametrize("spelling", [
    "梅市府办函〔2021〕236号", "梅市府办函[2021]236号", "梅市府办函2021 236号",
    "梅市府办函【2021】236号", "梅市府办函（２０２１）２３６号",
])
def test_document_number_spellings_normalise_to_the_same_tokens(spelling: str) -> None:
    assert analysis.index_tokens(spelling) == analysis.index_tokens("梅市府办函〔2021〕236号")


def test_long_words_are_also_indexed_as_bigrams_so_inner_words_match() -> None:
    tokens = analysis.index_tokens("梅市府办函")
    assert "市府办" in tokens and "府办" in tokens


def test_question_words_are_dropped_from_queries() -> None:
    query = analysis.parse_query("怎么申请公租房")
    sources = [c.source for c in query.clauses]
    assert "怎么" not in sources and "申请" in sources


def test_synonyms_become_alternatives_of_one_clause() -> None:
    table = analysis.synonym_table([["公租房", "公共租赁住房"]])
    query = analysis.parse_query("公租房申请", table)
    first = query.clauses[0]
    assert first.source == "公租房"
    assert ("公共", "租赁", "住房") in first.alternatives


def test_a_query_of_only_stop_words_keeps_them() -> None:
    assert not analysis.parse_query("如何").empty


@pytest.mark.parametrize("text", [
    "关于做好２０２６年政务公开工作的通知（征求意见稿）：第一条，",
    "Ｇｏｖ　Ｓｉｔｅｓ ＡＢＣ１２３", "ｶﾞｲﾄﾞ ①②③ ㍻ ﬁ Å", "Ａ\u0301 政務公開〔２０２１〕",
])
def test_normalisation_is_nfkc_lower_case_simplified_without_brackets(text: str) -> None:
    import unicodedata

    expected = unicodedata.normalize("NFKC", text).lower()
    for bracket in "〔〕[]【】()（）〈〉《》「」『』{}<>":
        expected = expected.replace(bracket, " ")
    assert analysis.normalise(text) == analysis._t2s().convert(expected)
