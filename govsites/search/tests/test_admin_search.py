"""Wagtail's search (admin 资源库, page chooser) finds Chinese sub-words, 繁体 and 文号."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import Page

from govsites.content.models import ContentItem

pytestmark = pytest.mark.django_db


def _titles(results: Any) -> set[str]:
    return {p.title for p in results}


def test_a_word_inside_a_compound_finds_the_page(library: dict[str, Any]) -> None:
    assert "关于政务公开工作的通知" in _titles(ContentItem.objects.search("政务"))


def test_a_traditional_query_finds_simplified_text(library: dict[str, Any]) -> None:
    assert "关于政务公开工作的通知" in _titles(ContentItem.objects.search("政務公開"))


def test_autocomplete_as_the_page_chooser_uses_it_finds_sub_words(library: dict[str, Any]) -> None:
    assert "公租房申请指南" in _titles(Page.objects.autocomplete("公租"))


def test_words_that_do_not_all_occur_find_nothing(library: dict[str, Any]) -> None:
    assert not _titles(ContentItem.objects.search("政务 开学"))


def test_the_library_view_finds_items_by_a_traditional_query(library: dict[str, Any],
                                                   superuser_client: Any) -> None:
    response = superuser_client.get("/admin/library/", {"q": "政務公開"})
    assert response.status_code == 200
    assert "关于政务公开工作的通知" in response.content.decode()


@pytest.mark.parametrize("number", ["梅市府办函〔2021〕236号", "梅市府办函[2021]236号",
                                    "梅市府办函2021 236号", "梅市府辦函（2021）236號"])
def test_the_library_finds_a_policy_by_its_document_number(library: dict[str, Any],
                                                           number: str) -> None:
    titles = [p.title for p in ContentItem.objects.live().search(number)]
    assert titles[:1] == ["梅州市人民政府办公室关于印发数据开放管理办法的通知"]
