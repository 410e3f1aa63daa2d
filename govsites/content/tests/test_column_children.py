"""A column offers as children only what its 栏目类别 allows (content/data/column_children.json)."""

import pytest
from django.apps import apps

from govsites import testing
from govsites.content.choices import ColumnType
from govsites.content.column_children import column_children_table
from govsites.content.models import (
    ArticlePage,
    ColumnPage,
    ContentItem,
    InterpretationPage,
    PolicyDocumentPage,
    ServiceGuidePage,
)


def test_every_column_type_has_a_row_naming_page_types_that_exist():
    table = column_children_table()
    assert set(table) == {t.value for t in ColumnType} - {ColumnType.HOME.value}
    for column_type, row in table.items():
        for label in row.items:
            model = apps.get_model(label)
            assert issubclass(model, ContentItem), (column_type, label)


def test_a_news_column_offers_only_articles_and_no_sub_columns(news_column):
    assert ArticlePage.can_create_at(news_column)
    for model in (PolicyDocumentPage, InterpretationPage, ServiceGuidePage, ColumnPage):
        assert not model.can_create_at(news_column), model


def test_a_policy_column_offers_policy_documents_and_sub_columns(policy_column):
    assert PolicyDocumentPage.can_create_at(policy_column)
    assert ColumnPage.can_create_at(policy_column)
    assert not ArticlePage.can_create_at(policy_column)


def test_a_column_passed_as_a_plain_page_is_judged_by_its_type(news_column):
    plain = news_column.page_ptr
    assert ArticlePage.can_create_at(plain)
    assert not PolicyDocumentPage.can_create_at(plain)


def test_the_admin_offers_a_news_column_only_the_article_form(superuser_client, news_column):
    response = superuser_client.get(f"/admin/pages/{news_column.pk}/add_subpage/")
    # One creatable type: Wagtail goes straight to its form.
    assert response.status_code == 302
    assert "/add/content/articlepage/" in response["Location"]


def test_the_admin_lists_policy_documents_and_sub_columns_under_a_policy_column(
        superuser_client, policy_column):
    response = superuser_client.get(f"/admin/pages/{policy_column.pk}/add_subpage/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/add/content/policydocumentpage/" in html
    assert "/add/content/columnpage/" in html
    assert "/add/content/articlepage/" not in html
    assert "/add/content/serviceguidepage/" not in html


def test_a_disallowed_type_typed_into_the_address_is_refused(superuser_client, news_column):
    response = superuser_client.get(
        f"/admin/pages/add/content/policydocumentpage/{news_column.pk}/")
    assert response.status_code in (403, 302)
    assert not PolicyDocumentPage.objects.child_of(news_column).exists()


@pytest.mark.django_db
def test_an_item_cannot_be_moved_into_a_column_that_does_not_take_its_type(policy_column,
                                                                          news_column):
    policy = testing.make_policy(policy_column)
    assert not policy.can_move_to(news_column)
    article = testing.make_article(news_column)
    assert not article.can_move_to(policy_column)
    other_news = testing.make_column(news_column.get_parent(), title="部门动态",
                                     column_type="工作动态")
    assert article.can_move_to(other_news)
