"""内容推送 (PA-18): e-mail subscriptions to a column or a site, double opt-in, sealed
addresses, digests of new items through the worker's job, and unsubscribe links."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import signing

from govsites import testing
from govsites.content import subscriptions
from govsites.content.models import Subscription
from govsites.core import crypto, periodic
from govsites.core.models import AuditRecord

pytestmark = pytest.mark.django_db

HOST = "localhost"


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def column(portal: Any) -> Any:
    return testing.make_column(portal.site.root_page, title="通知公告", column_type="通知公告")


def post_subscribe(client: Any, page: Any, email: str, addr: str = "10.0.0.1") -> Any:
    return client.post("/_govsites/subscribe/", {"page": page.pk, "email": email},
                       HTTP_HOST=HOST, REMOTE_ADDR=addr)


def link_in(message: Any, kind: str) -> str:
    found = re.search(rf"https?://[^\s>]+/_govsites/subscribe/{kind}/[^\s>]+/", message.body)
    assert found, message.body
    return re.sub(r"^https?://[^/]+", "", found.group(0))


def subscribe_and_confirm(client: Any, page: Any, email: str, mailoutbox: list[Any],
                          capture: Any) -> Subscription:
    with capture(execute=True):
        assert post_subscribe(client, page, email).status_code == 200
    confirm = link_in(mailoutbox[-1], "confirm")
    assert client.post(confirm, HTTP_HOST=HOST).status_code == 200
    return Subscription.objects.get(page=page)


def test_subscribing_mails_a_confirmation_link_and_only_confirming_makes_it_live(
        client, column, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, column, "Reader@Example.COM")
    assert response.status_code == 200 and "请查收确认邮件" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["Reader@example.com"]
    assert "请确认订阅" in mailoutbox[0].subject and "通知公告" in mailoutbox[0].subject
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    testing.make_article(column, title="未确认前发布的通知")
    assert subscriptions.send_digests() == 0  # pending: nothing is pushed

    confirm = link_in(mailoutbox[0], "confirm")
    page = client.get(confirm, HTTP_HOST=HOST)  # a mail scanner's GET changes nothing
    assert page.status_code == 200 and "确认订阅" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert client.post(confirm, HTTP_HOST=HOST).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    actions = list(AuditRecord.objects.filter(action__startswith="content.subscription")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["content.subscription.request", "content.subscription.confirm"]


def test_the_address_is_kept_sealed_and_found_again_only_by_its_digest(
        client, column, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, column, "citizen@example.com")
    row = Subscription.objects.get()
    assert "citizen" not in row.sealed_email and "example" not in row.sealed_email
    assert crypto.open_sealed(row.sealed_email) == "citizen@example.com"
    assert row.email_digest == crypto.keyed_digest(subscriptions.DIGEST_PURPOSE,
                                                   "citizen@example.com")
    from govsites.core import sealed

    assert "content.Subscription" in {e.model._meta.label for e in sealed.registered()}


def test_a_confirmed_subscription_gets_one_digest_of_the_items_published_since(
        client, column, portal, mailoutbox, django_capture_on_commit_callbacks):
    testing.make_article(column, title="订阅以前的旧通知")
    subscribe_and_confirm(client, column, "reader@example.com", mailoutbox,
                          django_capture_on_commit_callbacks)
    other = testing.make_column(portal.site.root_page, title="工作动态")
    testing.make_article(other, title="别的栏目的动态")
    testing.make_article(column, title="关于春节放假的通知")
    testing.make_article(column, title="关于停水的通知")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert subscriptions.send_digests() == 1
    (mail,) = mailoutbox
    assert mail.to == ["reader@example.com"] and "2 条新信息" in mail.subject
    assert "关于春节放假的通知" in mail.body and "关于停水的通知" in mail.body
    assert "旧通知" not in mail.body and "别的栏目" not in mail.body
    assert "/_govsites/subscribe/cancel/" in mail.body
    assert mail.extra_headers["List-Unsubscribe"].startswith("<https://")
    with django_capture_on_commit_callbacks(execute=True):
        assert subscriptions.send_digests() == 0  # nothing new: nothing sent twice
    assert len(mailoutbox) == 1


def test_a_site_subscription_covers_every_column_of_the_site(
        client, portal, column, mailoutbox, django_capture_on_commit_callbacks):
    home = portal.site.root_page
    subscribe_and_confirm(client, home, "all@example.com", mailoutbox,
                          django_capture_on_commit_callbacks)
    other = testing.make_column(home, title="工作动态")
    testing.make_article(other, title="全站订阅看到的动态")
    testing.make_article(column, title="全站订阅看到的通知")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert subscriptions.send_digests() == 1
    assert "全站订阅看到的动态" in mailoutbox[0].body and "全站订阅看到的通知" in mailoutbox[0].body


def test_the_unsubscribe_link_deletes_the_subscription_and_its_address(
        client, column, mailoutbox, django_capture_on_commit_callbacks):
    subscribe_and_confirm(client, column, "leaving@example.com", mailoutbox,
                          django_capture_on_commit_callbacks)
    testing.make_article(column, title="退订前最后一条")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.send_digests()
    cancel = link_in(mailoutbox[0], "cancel")
    assert client.get(cancel, HTTP_HOST=HOST).status_code == 200
    assert Subscription.objects.count() == 1  # GET only asks
    response = client.post(cancel, HTTP_HOST=HOST)
    assert response.status_code == 200 and "已退订" in response.content.decode()
    assert not Subscription.objects.exists()
    testing.make_article(column, title="退订后的通知")
    assert subscriptions.send_digests() == 0
    again = client.post(cancel, HTTP_HOST=HOST)
    assert again.status_code == 400 and "不存在或已退订" in again.content.decode()


def test_a_bad_address_is_refused_in_chinese_and_nothing_is_stored_or_sent(
        client, column, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, column, "不是邮箱")
    assert response.status_code == 400 and "请填写有效的电子邮箱地址" in response.content.decode()
    assert not Subscription.objects.exists() and not mailoutbox


def test_only_live_columns_and_site_homes_can_be_subscribed(client, column, portal):
    article = testing.make_article(column, title="文章不能订阅")
    response = post_subscribe(client, article, "a@example.com")
    assert response.status_code == 400 and "只能订阅已发布的栏目或网站" in response.content.decode()
    assert client.get("/_govsites/subscribe/?page=999999", HTTP_HOST=HOST).status_code == 404
    assert not Subscription.objects.exists()


def test_repeating_a_request_does_not_flood_the_mailbox(
        client, column, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, column, "victim@example.com")
        post_subscribe(client, column, "victim@example.com", addr="10.0.0.2")
    assert len(mailoutbox) == 1 and Subscription.objects.count() == 1
    client.post(link_in(mailoutbox[0], "confirm"), HTTP_HOST=HOST)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, column, "victim@example.com", addr="10.0.0.3")
    assert response.status_code == 200 and len(mailoutbox) == 1  # confirmed: same answer, no mail


def test_requests_over_the_per_minute_limit_are_refused_with_retry_after(
        client, column, mailoutbox):
    limit = subscriptions.requests_per_minute()
    codes = [post_subscribe(client, column, f"r{n}@example.com", addr="10.9.9.9").status_code
             for n in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429
    assert Subscription.objects.count() == limit


def test_a_tampered_or_expired_confirmation_link_is_refused(
        client, column, mailoutbox, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, column, "late@example.com")
    confirm = link_in(mailoutbox[0], "confirm")
    tampered = client.post(confirm.replace("/confirm/", "/confirm/x"), HTTP_HOST=HOST)
    assert tampered.status_code == 400 and "链接无效" in tampered.content.decode()
    later = time.time() + (subscriptions.confirm_hours() + 1) * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = client.post(confirm, HTTP_HOST=HOST)
    assert expired.status_code == 400 and "已过期" in expired.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_column_pages_offer_mail_rss_and_atom_subscription(client, column):
    html = client.get(column.url, HTTP_HOST=HOST).content.decode()
    assert f'/_govsites/subscribe/?page={column.pk}"' in html
    assert 'rss.xml">RSS</a>' in html and 'atom.xml">Atom</a>' in html
    form = client.get(f"/_govsites/subscribe/?page={column.pk}", HTTP_HOST=HOST)
    assert form.status_code == 200 and "通知公告" in form.content.decode()


def test_digests_are_sent_by_the_workers_periodic_job():
    job = next(j for j in periodic.jobs() if j.name == "content.subscription_digests")
    assert job.task.name.endswith("send_subscription_digests_task")
