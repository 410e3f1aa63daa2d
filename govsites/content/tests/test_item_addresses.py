"""Items' short stable addresses: /{column}/{yyyymm}/t{yyyymmdd}_{id}.html by default."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from govsites import testing
from govsites.content import addresses
from govsites.content.models import ArticlePage

BEIJING = dt.timezone(dt.timedelta(hours=8))


def test_item_address_follows_the_default_scheme_with_its_first_publication_in_beijing_time(
        news_column):
    item = testing.make_article(news_column, title="关于做好2026年防汛工作的通知（第二次修订稿）")
    # 16:30 UTC on 31 May is already 1 June in Beijing
    ArticlePage.objects.filter(pk=item.pk).update(
        first_published_at=dt.datetime(2026, 5, 31, 16, 30, tzinfo=dt.UTC))
    item.refresh_from_db()
    column = testing.public_address(news_column)
    assert item.url == f"{column}202606/t20260601_{item.pk}.html"
    assert len(item.url) < 40


def test_title_edit_keeps_the_address_and_the_slug_address_redirects_to_it(client, news_column):
    item = testing.make_article(news_column, title="原标题")
    address = item.url
    item.title = "修改后的标题"
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.url == address
    response = client.get(address, HTTP_HOST="localhost")
    assert response.status_code == 200 and "修改后的标题" in response.content.decode()
    slug_address = "/" + item.url_path.split("/", 2)[2]
    response = client.get(slug_address, HTTP_HOST="localhost")
    assert response.status_code == 301 and response["Location"] == address


def test_an_address_with_another_date_or_another_columns_item_is_not_found(
        client, news_column, policy_column):
    item = testing.make_article(news_column, title="一则动态")
    column = testing.public_address(news_column)
    assert client.get(f"{column}200001/t20000101_{item.pk}.html",
                      HTTP_HOST="localhost").status_code == 404
    elsewhere = testing.public_address(policy_column) + item.url[len(column):]
    assert client.get(elsewhere, HTTP_HOST="localhost").status_code == 404


def test_a_configured_scheme_is_used_for_links_and_routing(client, news_column, settings):
    settings.GOVSITES_ITEM_ADDRESS = "/{column}/art/{yyyy}/art_{id}.html"
    item = testing.make_article(news_column, title="按本市地址规则发布")
    year = timezone.localtime(item.first_published_at or timezone.now()).year
    assert item.url == f"{testing.public_address(news_column)}art/{year}/art_{item.pk}.html"
    response = client.get(item.url, HTTP_HOST="localhost")
    assert response.status_code == 200 and "按本市地址规则发布" in response.content.decode()


@pytest.mark.parametrize("scheme", [
    "/{yyyymm}/t{id}.html",            # no column
    "/{column}/{yyyymm}/t{yyyymmdd}.html",  # no id: not unique
    "/{column}/{title}_{id}.html",     # an unknown field (the title would not be stable)
    "/{column}/{id}/",                 # not a file
    "/{column}/文章_{id}.html",         # characters a URL must encode
])
def test_an_unusable_scheme_is_refused(settings, scheme):
    settings.GOVSITES_ITEM_ADDRESS = scheme
    with pytest.raises(ImproperlyConfigured):
        addresses.item_scheme()
