"""政务新媒体: registry, update checks from feeds, pages and monthly counts, freshness alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.core.models import NotificationDelivery
from govsites.operations import newmedia, reports
from govsites.operations.models import NewMediaAccount, NewMediaAlert
from govsites.operations.newmedia import FakeFeedReader

from .helpers import make_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def rss(*days_ago: int) -> bytes:
    items = "".join(
        f"<item><title>第{n}条</title><pubDate>"
        f"{(NOW - dt.timedelta(days=d)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for n, d in enumerate(days_ago))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def account(portal, **fields) -> NewMediaAccount:
    fields.setdefault("platform", "wechat")
    fields.setdefault("name", "示例发布")
    return newmedia.register_account(
        acting_user=None, organisation=portal.host_organisation, opened_on=dt.date(2024, 1, 1),
        responsible_person="李明", filing_status="filed", **fields)


def test_an_account_that_stopped_updating_raises_one_alert_and_tells_the_site_administrator(
        portal, django_capture_on_commit_callbacks):
    admin = make_user(portal.host_organisation, Role.SITE_ADMIN)
    media = account(portal, feed_url="https://mp.example.cn/feed.xml")
    reader = FakeFeedReader({media.feed_url: rss(15, 20, 30)})
    with django_capture_on_commit_callbacks(execute=True):
        result = newmedia.check_account(media, reader=reader, now=NOW)
    assert result.alert is not None and result.alert.rule_id == "NM-01"
    assert result.alert.days_without_update == 15
    assert NotificationDelivery.objects.filter(recipient=admin).count() == 1
    newmedia.check_account(media, reader=reader, now=NOW + dt.timedelta(days=1))
    assert NewMediaAlert.objects.count() == 1  # still the same open alert
    newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: rss(0)}), now=NOW)
    assert NewMediaAlert.objects.get().closed_at is not None


def test_an_account_updated_within_the_rule_raises_nothing(portal):
    media = account(portal, feed_url="https://mp.example.cn/feed.xml")
    result = newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: rss(13)}),
                                    now=NOW)
    assert result.alert is None and result.last_post_at == NOW - dt.timedelta(days=13)


def test_the_weekly_minimum_of_a_city_variant_is_checked_from_the_feed(portal, settings):
    settings.GOVSITES_RULES_VARIANT = "liangping-2021"  # at least 3 updates a week
    media = account(portal, feed_url="https://mp.example.cn/feed.xml")
    result = newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: rss(1, 3)}),
                                    now=NOW)
    assert result.alert is not None and result.alert.rule_id == "NM-02"


def test_a_page_without_a_feed_is_read_for_its_newest_date(portal):
    media = account(portal, platform="weibo", name="示例微博", feed_url="https://weibo.example.cn/u/1")
    page = "<html><body><li>2026年11月02日 通知</li><li>2026-11-20 动态</li></body></html>"
    result = newmedia.check_account(
        media, reader=FakeFeedReader({media.feed_url: page.encode()}), now=NOW)
    assert result.last_post_at is not None and result.last_post_at.date() == dt.date(2026, 11, 20)
    assert result.alert is None or result.alert.days_without_update >= 10


def test_an_account_without_a_feed_is_judged_from_its_monthly_counts(portal):
    media = account(portal, name="示例抖音", platform="douyin")
    newmedia.record_monthly_count(account=media, month=dt.date(2026, 10, 1), posts=12,
                                  last_post_on=dt.date(2026, 10, 28), acting_user=None)
    result = newmedia.check_account(media, reader=FakeFeedReader(), now=NOW)
    assert result.alert is not None and result.alert.days_without_update == 33
    with pytest.raises(ValueError):
        newmedia.record_monthly_count(account=media, month=dt.date(2026, 11, 1), posts=0,
                                      last_post_on=dt.date(2026, 11, 3), acting_user=None)


def test_a_feed_that_cannot_be_read_is_recorded_not_raised(portal):
    media = account(portal, feed_url="https://mp.example.cn/gone.xml")
    newmedia.check_account(media, reader=FakeFeedReader(), now=NOW)
    media.refresh_from_db()
    assert media.check_error.startswith("读取失败")


def test_the_same_name_twice_on_one_platform_is_refused(portal):
    account(portal)
    with pytest.raises(ValidationError):
        account(portal)
    assert NewMediaAccount.objects.count() == 1


def test_the_annual_report_lists_the_accounts_of_the_sites_organisation(portal):
    media = account(portal, followers=5200)
    newmedia.record_monthly_count(account=media, month=dt.date(timezone.localdate().year, 1, 1),
                                  posts=30, acting_user=None)
    report = reports.compile_report(site=portal, year=timezone.localdate().year)
    figures = {f.key: f.value for f in report.figures.all()}
    assert figures["has_new_media"] == "是"
    assert figures["wechat"] == "示例发布（信息发布量30条，关注量5200）"
    assert figures["weibo"] == "无"


def test_the_admin_screen_registers_an_account_and_takes_a_monthly_count(portal):
    from .helpers import client_for

    client = client_for(make_user(portal.host_organisation, Role.SITE_ADMIN))
    client.post("/admin/operations/new-media/", {
        "form": "account", "organisation": portal.host_organisation.pk, "platform": "weibo",
        "name": "示例市发布", "filing_status": "filed", "opened_on": "2025-03-01",
        "responsible_person": "王芳"})
    media = NewMediaAccount.objects.get()
    client.post("/admin/operations/new-media/", {"form": "count", "account": media.pk,
                                                 "month": "2025-04", "posts": "9"})
    assert media.monthly_counts.get().posts == 9
    assert "示例市发布" in client.get("/admin/operations/new-media/").content.decode()
