import datetime as dt

from django.utils import timezone

from govsites import testing
from govsites.content.services import archive_expired_columns


def test_a_special_column_without_news_for_six_months_is_archived(portal_home):
    special = testing.make_column(portal_home, title="专题", column_type="专题专栏")
    testing.make_article(special, title="专题新闻")
    fresh = testing.make_column(portal_home, title="新专题", column_type="专题专栏")
    testing.make_article(fresh, title="新专题新闻")
    later = timezone.now() + dt.timedelta(days=200)
    archived = archive_expired_columns(now=later)
    assert {c.pk for c in archived} == {special.pk, fresh.pk}
    special.refresh_from_db()
    assert special.status == "archived" and special.archived_at == later


def test_news_columns_are_never_archived_automatically(news_column):
    testing.make_article(news_column)
    assert archive_expired_columns(now=timezone.now() + dt.timedelta(days=3650)) == []


def test_a_recently_updated_special_column_stays_active(portal_home):
    special = testing.make_column(portal_home, title="专题", column_type="专题专栏")
    testing.make_article(special)
    assert archive_expired_columns(now=timezone.now() + dt.timedelta(days=30)) == []
