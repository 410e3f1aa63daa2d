"""政务新媒体 rules beyond freshness: one account and one name (NM-03), 备案 (NM-04), pushing
important items (NM-05), conduct (NM-06), IPv6 (NM-07) and the 单项否决 verdict (NM-08)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations import newmedia, newmedia_checks, newmedia_filing, newmedia_push
from govsites.operations.models import (
    AccountStatus,
    FilingStatus,
    NewMediaAccount,
    NewMediaAlert,
    NewMediaPush,
)
from govsites.operations.newmedia import FakeFeedReader

from .helpers import client_for, make_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def register(portal, **fields) -> NewMediaAccount:
    fields.setdefault("platform", "wechat")
    fields.setdefault("name", "示例发布")
    fields.setdefault("filing_status", "filed")
    return newmedia.register_account(
        acting_user=None, organisation=portal.host_organisation, opened_on=dt.date(2024, 1, 1),
        responsible_person="李明", **fields)


# --- NM-03 ---


def test_a_second_account_on_one_platform_or_another_name_needs_a_reason(portal):
    register(portal)
    with pytest.raises(ValidationError, match="同一平台只开设一个账号"):
        register(portal, name="示例发布二号")
    with pytest.raises(ValidationError, match="名称原则上应保持一致"):
        register(portal, platform="weibo", name="示例市政府")
    register(portal, platform="weibo", name="示例发布")
    register(portal, platform="douyin", name="示例市政府",
             exception_reason="抖音平台名称已被占用，经审批使用此名称")
    assert NewMediaAccount.objects.count() == 3


def test_verification_information_must_name_the_host_organisation(portal):
    org = portal.host_organisation.name
    with pytest.raises(ValidationError, match="未标明主办单位名称"):
        register(portal, verified_name="某某传媒有限公司")
    media = register(portal, verified_name=f"{org}官方账号")
    assert newmedia_filing.verification_problem(media) == ""
    blank = register(portal, platform="weibo")
    found = newmedia_checks.registry_findings([blank])
    assert any(f.rule_id == "NM-03" and "未登记平台公开认证信息" in f.message for f in found)


# --- NM-04 ---


def test_opening_is_filed_step_by_step_in_the_order_of_the_rule(portal, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # 第17条: 网信办, then 市政府办, with 备案表
    media = register(portal, filing_status="pending")
    filing = media.filings.get()
    assert [s["name"] for s in filing.steps][1:] == ["市委网信办备案核准", "市政府办公室备案考核"]
    assert filing.form_required
    newmedia_filing.record_filing_step(filing=filing, acting_user=None)
    newmedia_filing.record_filing_step(filing=filing, acting_user=None, reference="网信备2026-1")
    with pytest.raises(ValidationError, match="备案表"):
        newmedia_filing.record_filing_step(filing=filing, acting_user=None, reference="DD-01")
    media.refresh_from_db()
    assert media.filing_status == FilingStatus.PENDING
    assert [f.rule_id for f in newmedia_checks.registry_findings([media])].count("NM-04") == 1
    newmedia_filing.record_filing_step(
        filing=filing, acting_user=None, reference="DD-01",
        form_file=SimpleUploadedFile("备案表.pdf", b"%PDF-1.4 form"))
    media.refresh_from_db()
    assert (media.filing_status, media.filing_number) == (FilingStatus.FILED, "DD-01")
    with pytest.raises(ValidationError, match="已完成"):
        newmedia_filing.record_filing_step(filing=filing, acting_user=None)


def test_a_change_applies_and_a_closure_closes_only_when_filed(portal, settings):
    settings.GOVSITES_RULES_VARIANT = "liangping-2021"  # 第9条: 主要负责人同意, 区政府办公室备案
    media = register(portal)
    change = newmedia_filing.request_change(account=media, acting_user=None,
                                            responsible_person="王芳")
    assert [s["name"] for s in change.steps] == ["本单位主要负责人同意", "区政府办公室备案"]
    with pytest.raises(ValidationError, match="尚未完成的备案"):
        newmedia_filing.request_closure(account=media, closed_on=NOW.date(), reason="整合",
                                        acting_user=None)
    newmedia_filing.record_filing_step(filing=change, acting_user=None)
    media.refresh_from_db()
    assert media.responsible_person == "李明"  # not yet filed
    newmedia_filing.record_filing_step(filing=change, acting_user=None)
    media.refresh_from_db()
    assert media.responsible_person == "王芳"
    closure = newmedia_filing.request_closure(account=media, closed_on=NOW.date(),
                                              reason="职能调整，并入门户账号", acting_user=None)
    for _ in closure.steps:
        newmedia_filing.record_filing_step(filing=closure, acting_user=None)
    media.refresh_from_db()
    assert (media.status, media.closed_on, media.filing_status) == (
        AccountStatus.CLOSED, NOW.date(), FilingStatus.CANCELLED)


# --- NM-05 ---


def _important_item(column, title: str, importance: str = "major"):
    from govsites import testing

    return testing.make_article(column, title=title, importance=importance)


def test_an_important_item_gets_a_push_record_per_account_and_an_alert_when_late(
        portal, news_column, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # 第42条: 同步推送
    wechat = register(portal)
    register(portal, platform="weibo")
    register(portal, platform="douyin", exception_reason="短视频平台")  # not a push platform
    item = _important_item(news_column, "重大政策发布")
    _important_item(news_column, "一般动态", importance="normal")
    created = newmedia_push.open_push_records()
    assert sorted(p.account.platform for p in created) == ["wechat", "weibo"]
    assert {p.item_id for p in created} == {item.pk}
    assert newmedia_push.open_push_records() == []  # once per item and account
    [push] = [p for p in created if p.account == wechat]
    assert push.due_at == push.published_at + dt.timedelta(hours=24)
    newmedia_push.record_push(push=push, pushed_at=timezone.now(), acting_user=None,
                              post_url="https://mp.example.cn/s/1")
    late = newmedia_push.alert_late_pushes(now=timezone.now() + dt.timedelta(hours=25))
    assert [p.account.platform for p in late] == ["weibo"]
    assert newmedia_push.alert_late_pushes(now=timezone.now() + dt.timedelta(hours=26)) == []


def test_nothing_is_pushed_where_the_rule_does_not_apply(portal, news_column, settings):
    settings.GOVSITES_RULES_VARIANT = ""
    register(portal)
    _important_item(news_column, "重大政策发布")
    assert newmedia_push.open_push_records() == []
    assert not NewMediaPush.objects.exists()


# --- NM-06 ---


def test_a_declaration_is_recorded_and_missing_ones_are_findings(portal):
    media = register(portal)
    assert any(f.rule_id == "NM-06" for f in newmedia_checks.registry_findings([media]))
    newmedia_checks.declare_integrity(account=media, acting_user=None)
    assert not any(f.rule_id == "NM-06" for f in newmedia_checks.registry_findings([media]))


def test_content_forcing_people_to_like_or_repost_raises_an_alert_until_it_is_gone(portal):
    media = register(portal, feed_url="https://mp.example.cn/feed.xml")
    when = NOW.strftime("%a, %d %b %Y %H:%M:%S +0000")
    feed = ("<rss version='2.0'><channel><item><title>通知</title><description>"
            f"请各单位职工务必 转发 本文并截图上报</description><pubDate>{when}</pubDate></item>"
            "</channel></rss>").encode()
    newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: feed}), now=NOW)
    alert = NewMediaAlert.objects.get(rule_id="NM-06", closed_at__isnull=True)
    assert "务必转发" in alert.message and "截图上报" in alert.message
    clean = feed.replace("请各单位职工务必 转发 本文并截图上报".encode(), "欢迎阅读".encode())
    newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: clean}), now=NOW)
    alert.refresh_from_db()
    assert alert.closed_at is not None


# --- NM-07 ---


def test_an_app_without_ipv6_is_a_finding_where_the_rule_requires_it(portal, settings):
    app = register(portal, platform="app", service_host="app.shili.gov.cn")
    newmedia_checks.check_ipv6(app, checker=newmedia_checks.FakeIpv6Checker(set()))
    assert app.ipv6_support == "unsupported"
    assert not any(f.rule_id == "NM-07" for f in newmedia_checks.registry_findings([app]))
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"  # 第18条: 全面支持IPv6
    assert any(f.rule_id == "NM-07" for f in newmedia_checks.registry_findings([app]))
    newmedia_checks.check_ipv6(app, checker=newmedia_checks.FakeIpv6Checker({"app.shili.gov.cn"}))
    app.refresh_from_db()
    assert app.ipv6_support == "supported" and app.ipv6_checked_at is not None
    assert not any(f.rule_id == "NM-07" for f in newmedia_checks.registry_findings([app]))


# --- NM-08 ---


def test_any_veto_makes_the_account_unqualified(portal):
    media = register(portal, feed_url="https://mp.example.cn/feed.xml")
    assert newmedia_checks.assess_account(account=media, acting_user=None).verdict == "qualified"
    newmedia.check_account(media, reader=FakeFeedReader({media.feed_url: b"<rss/>"}), now=NOW)
    assessment = newmedia_checks.assess_account(account=media, acting_user=None,
                                                findings=["互动栏目回复较慢"])
    assert assessment.verdict == "unqualified"
    assert [v["indicator"] for v in assessment.vetoes] == ["not_updated"]


def test_a_veto_recorded_by_the_assessor_makes_a_fresh_account_unqualified(portal):
    media = register(portal)
    assessment = newmedia_checks.assess_account(
        account=media, acting_user=None,
        vetoes=[{"indicator": "security", "evidence": "发布内容出现严重表述错误"}])
    assert assessment.verdict == "unqualified"
    with pytest.raises(ValidationError):
        newmedia_checks.assess_account(account=media, acting_user=None,
                                       vetoes=[{"indicator": "nonsense", "evidence": "x"}])


# --- the screen ---


def test_the_screen_lists_findings_and_takes_a_declaration_and_a_filing_step(portal):
    admin = make_user(portal.host_organisation, Role.SITE_ADMIN)
    client = client_for(admin)
    media = register(portal, filing_status="pending")
    page = client.get("/admin/operations/new-media/").content.decode()
    assert "开设备案未完成" in page and "未作出不购买" in page
    client.post("/admin/operations/new-media/", {"form": "declare", "account": media.pk})
    filing = media.filings.get()
    client.post("/admin/operations/new-media/", {"form": "filing_step", "filing": filing.pk,
                                                 "reference": "备案-1"})
    media.refresh_from_db()
    filing.refresh_from_db()
    assert media.integrity_declared_by == admin
    assert filing.steps[0]["done_at"] is not None


def test_a_change_asked_on_the_screen_waits_for_its_filing(portal):
    media = register(portal)
    client = client_for(make_user(portal.host_organisation, Role.SITE_ADMIN))
    client.post("/admin/operations/new-media/", {"form": "change", "account": media.pk,
                                                 "responsible_person": "王芳", "name": ""})
    filing = media.filings.get()
    assert filing.action == "change" and filing.changes == {"responsible_person": "王芳"}
    media.refresh_from_db()
    assert media.responsible_person == "李明"


def test_the_daily_check_records_whether_an_app_supports_ipv6(portal):
    app = register(portal, platform="app", service_host="app.shili.gov.cn")
    register(portal, platform="weibo")
    newmedia.check_all_accounts(reader=FakeFeedReader(),
                                ipv6=newmedia_checks.FakeIpv6Checker({"app.shili.gov.cn"}))
    app.refresh_from_db()
    assert app.ipv6_support == "supported"
    assert NewMediaAccount.objects.get(platform="weibo").ipv6_support == "unknown"


def test_the_hourly_job_tells_the_site_administrator_about_a_late_push(portal, news_column,
                                                                       settings):
    from govsites.core.models import NotificationDelivery
    from govsites.operations.tasks import new_media_push_round

    settings.GOVSITES_RULES_VARIANT = "dandong-2019"
    admin = make_user(portal.host_organisation, Role.SITE_ADMIN)
    register(portal)
    _important_item(news_column, "重大政策发布")
    assert new_media_push_round.call() == {"opened": 1, "late": 0, "notified": 0}
    NewMediaPush.objects.update(due_at=timezone.now() - dt.timedelta(minutes=1))
    assert new_media_push_round.call() == {"opened": 0, "late": 1, "notified": 1}
    assert NotificationDelivery.objects.get(recipient=admin).kind == (
        "operations.new_media.push_late")
    assert new_media_push_round.call()["late"] == 0
