"""The public index: kept current by publishing, queried with facets, sorts and snippets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govsites import testing
from govsites.content.services import change_validity, withdraw_item
from govsites.search import engine, selectors, services
from govsites.search.models import BestBet, SearchDocument, Synonym

pytestmark = pytest.mark.django_db


def _titles(text: str, **kwargs: Any) -> list[str]:
    return [r.title for r in selectors.search(text, **kwargs).results]


def test_publishing_an_item_puts_it_in_the_index(library: dict[str, Any]) -> None:
    assert SearchDocument.objects.filter(pk=library["open"].pk).exists()


def test_a_sub_word_finds_the_item_first(library: dict[str, Any]) -> None:
    assert _titles("政务")[0] == "关于政务公开工作的通知"


def test_a_traditional_query_finds_the_simplified_item(library: dict[str, Any]) -> None:
    assert _titles("政務公開")[0] == "关于政务公开工作的通知"


@pytest.mark.parametrize("spelling", [
    "梅市府办函〔2021〕236号", "梅市府办函2021 236号", "梅市府办函[2021]236号",
    "梅市府办函【2021】236号", "２３６号 梅市府办函２０２１",
])
def test_every_spelling_of_a_document_number_finds_the_policy_first(
        library: dict[str, Any], spelling: str) -> None:
    assert _titles(spelling)[0] == library["policy"].title


def test_a_question_finds_the_item_through_its_words(library: dict[str, Any]) -> None:
    assert _titles("怎么申请公租房")[0] == "公租房申请指南"


def test_an_editable_synonym_expands_the_query(library: dict[str, Any]) -> None:
    before = selectors.search("廉租住房")
    assert before.total == 0 or before.relaxed
    Synonym.objects.create(terms="公租房，廉租住房")
    after = selectors.search("廉租住房")
    assert not after.relaxed and after.results[0].title == "公租房申请指南"


def test_withdrawing_an_item_takes_it_out_of_the_index(library: dict[str, Any],
                                                        publish: Any) -> None:
    publish(withdraw_item, item=library["open"], reason="内容有误", acting_user=None)
    assert not SearchDocument.objects.filter(pk=library["open"].pk).exists()
    assert "关于政务公开工作的通知" not in _titles("政务公开")


def test_an_unpublished_draft_is_never_found(news_column: Any, publish: Any) -> None:
    publish(testing.make_article, news_column, title="未发布的草稿通知", publish=False)
    assert _titles("草稿") == []


def test_changing_an_item_updates_its_document(library: dict[str, Any], publish: Any) -> None:
    item = library["school"]
    item.title = "全市中小学秋季开学工作部署会召开"
    publish(lambda: item.save_revision().publish())
    assert SearchDocument.objects.get(pk=item.pk).title == item.title


def test_a_repealed_policy_is_labelled(library: dict[str, Any], publish: Any) -> None:
    publish(change_validity, policy=library["policy"], validity="repealed",
                    changed_on=dt.date(2026, 1, 1), acting_user=None)
    result = selectors.search("数据开放管理办法").results[0]
    assert result.validity == "repealed" and result.validity_label == "已废止"


def test_a_site_search_only_finds_that_sites_items(library: dict[str, Any],
                                                   department_site: Any) -> None:
    assert _titles("开学", site=department_site.site) == ["全市中小学开学工作部署会召开"]
    assert _titles("政务", site=department_site.site) == []


def test_facets_count_matches_by_site_and_type(library: dict[str, Any], portal: Any,
                                               department_site: Any) -> None:
    page = selectors.search("工作")
    assert page.facets["site"] == {str(portal.site.pk): 1, str(department_site.site.pk): 1}
    assert page.facets["item_type"] == {"articlepage": 2}
    assert page.total == 2


def test_a_facet_filter_narrows_the_results(library: dict[str, Any]) -> None:
    page = selectors.search("通知", filters=engine.Filters(item_types=["policydocumentpage"]))
    assert [r.title for r in page.results] == [library["policy"].title]


def test_sort_by_date_puts_the_newest_first(news_column: Any, publish: Any) -> None:
    old = publish(testing.make_article, news_column, title="旧的防汛工作通知")
    new = publish(testing.make_article, news_column, title="新的防汛工作通知")
    SearchDocument.objects.filter(pk=old.pk).update(published_at=dt.datetime(2020, 1, 1,
                                                                             tzinfo=dt.UTC))
    assert [r.page_id for r in selectors.search("防汛", sort="date").results] == [new.pk, old.pk]


def test_snippets_mark_the_query_words(library: dict[str, Any]) -> None:
    result = selectors.search("居民 公共租赁住房").results or selectors.search("公共租赁住房").results
    assert "<mark>" in result[0].snippet_html


def test_nothing_found_offers_a_shorter_query_and_popular_searches(
        library: dict[str, Any], portal: Any) -> None:
    services.record_search(site_id=None, query="政务公开", total=1)
    page = selectors.search("政务 火星基地")
    assert page.total == 0 or page.relaxed
    empty = selectors.search("火星基地")
    assert empty.total == 0 and "政务公开" in empty.popular


def test_a_best_bet_comes_before_the_results(library: dict[str, Any]) -> None:
    BestBet.objects.create(query="住房", page=library["housing"])
    page = selectors.search("住房")
    assert [b.title for b in page.best_bets] == ["公租房申请指南"]


def test_rebuild_recreates_a_lost_index(library: dict[str, Any]) -> None:
    SearchDocument.objects.all().delete()
    calls: list[tuple[int, int]] = []
    outcome = services.rebuild_index(acting_user=None, progress=lambda d, t: calls.append((d, t)))
    assert outcome["indexed"] == 4 and calls[-1] == (4, 4)
    assert _titles("政务")[0] == "关于政务公开工作的通知"
