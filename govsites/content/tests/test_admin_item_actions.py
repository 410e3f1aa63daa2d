from django.urls import reverse

from govsites import testing
from govsites.content.models import ContentItem


def test_an_editor_reprints_an_item_into_another_sites_column(superuser_client, news_column,
                                                              department_site):
    client = superuser_client
    target = testing.make_column(department_site.site.root_page, title="转载区")
    item = testing.make_article(news_column, title="要转载的新闻")
    url = reverse("govsites_item_action", args=[item.pk, "reprint"])
    assert "示例市教育局 › 转载区" in client.get(url).content.decode()
    response = client.post(url, {"column": target.pk})
    assert response.status_code == 302
    assert ContentItem.objects.child_of(target).filter(alias_of=item).exists()
    again = client.post(url, {"column": target.pk})
    assert "已转载过" in again.content.decode()


def test_withdrawal_without_a_reason_is_refused_and_with_one_is_shown(superuser_client,
                                                                      news_column):
    client = superuser_client
    item = testing.make_article(news_column, title="要撤稿的新闻")
    url = reverse("govsites_item_action", args=[item.pk, "withdraw"])
    assert client.post(url, {"reason": ""}).status_code == 200
    item.refresh_from_db()
    assert item.withdrawn_at is None
    assert client.post(url, {"reason": "数据有误"}).status_code == 302
    item.refresh_from_db()
    assert item.withdrawal_reason == "数据有误"


def test_the_item_actions_appear_in_the_page_listing(superuser_client, news_column):
    client = superuser_client
    item = testing.make_article(news_column, title="列表中的新闻")
    html = client.get(reverse("wagtailadmin_explore", args=[news_column.pk])).content.decode()
    assert reverse("govsites_item_action", args=[item.pk, "reprint"]) in html
