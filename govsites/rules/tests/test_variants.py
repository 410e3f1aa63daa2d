"""Switching the variant (or overriding a value) changes the inspector's verdict and the
platform's own alerts alike: both read the one rule set.

Our own site is served on loopback; the inspector crawls it (its verdict from the pages), and
platform mode recomputes freshness and blank columns from the database (the platform's own
alert, using the content freshness selector). Dates move by inspecting "as of" a later day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites import rules, testing
from govsites.content import selectors as content_selectors
from govsites.content.services import archive_expired_columns
from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import inspect_site
from govsites.monitoring.platform import apply_platform_mode
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services
from govsites.sites import validators

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(db: Any) -> Any:
    """Our application on a loopback port, on the test's own database connections."""
    from govsites.publishing.testing import live_app

    with live_app(share_connections=True) as address:
        yield "http://localhost:" + address.rsplit(":", 1)[1]


def choose(variant: str, site: Any = None) -> None:
    services.choose_variant(variant=variant, reason="本市施行该管理办法", site=site,
                            acting_user=None)


def inspect(url: str, portal: Any, as_of: dt.date) -> dict[str, Any]:
    """Crawl our site with the rules in force, then let platform mode recompute from the DB."""
    book = load_rulebook(site=portal)
    crawled = inspect_site(CrawlConfig(start_url=url + "/", max_pages=40, delay=0.0),
                           as_of=as_of, rulebook=book)
    crawl_findings = list(crawled.findings)
    crawl_verdict = crawled.verdict
    platform = apply_platform_mode(crawled, portal, rulebook=book)
    return {
        "crawl": crawl_findings, "crawl_verdict": crawl_verdict,
        "db": [f for f in platform.findings if f.source == "database"],
        "platform_verdict": platform.verdict,
    }


def offer_services(home: Any) -> None:
    """A portal must offer 办事服务 or the inspector vetoes it (IS-12, 服务不实用): one guide.

    (Added by monitoring so these verdicts turn on the rule under test only.)
    """
    from govsites.content.models import ServiceGuidePage
    from govsites.content.services import publish_item

    column = testing.make_column(home, title="办事服务", column_type="办事服务")
    guide = ServiceGuidePage(
        title="婚姻登记办事指南", slug="hunyin", item_name="婚姻登记", legal_basis="《婚姻登记条例》",
        conditions="双方自愿", materials="身份证、户口簿", location="市民政局婚姻登记处",
        handling_body="市民政局", fees="不收费", hours="工作日 9:00-17:00",
        phone="0753-1234567", procedure="申请、审查、登记")
    column.add_child(instance=guide)
    publish_item(item=guide, acting_user=None)


def _paths(findings: list[Any], rule_id: str) -> list[str]:
    from urllib.parse import urlsplit

    return sorted(urlsplit(f.url).path for f in findings if f.rule_id == rule_id)


def test_meizhou_shortens_news_freshness_for_the_inspector_and_the_platform_alike(
        served: str) -> None:
    portal = testing.make_site()
    home = portal.site.root_page
    news = testing.make_column(home, title="工作动态", column_type="工作动态")
    testing.make_article(news, title="市政府召开常务会议")
    offer_services(home)
    ten_days_on = timezone.localdate() + dt.timedelta(days=10)

    national = inspect(served, portal, ten_days_on)
    [freshness] = [c for c in content_selectors.column_freshness(home) if c.column_id == news.pk]
    assert freshness.interval_days == 14
    assert _paths(national["crawl"], "column.stale") == []
    assert _paths(national["db"], "column.stale") == []

    choose("meizhou-2021")
    meizhou = inspect(served, portal, ten_days_on)
    [freshness] = [c for c in content_selectors.column_freshness(home) if c.column_id == news.pk]
    assert freshness.interval_days == 7
    stale_path = "/" + news.url_path[len(home.url_path):]
    assert _paths(meizhou["crawl"], "column.stale") == [stale_path]
    assert _paths(meizhou["db"], "column.stale") == [stale_path]
    assert meizhou["crawl_verdict"].score < national["crawl_verdict"].score
    assert meizhou["platform_verdict"].score < national["platform_verdict"].score


def test_liangping_fails_a_site_with_one_blank_column_in_the_inspector_and_the_platform(
        served: str) -> None:
    portal = testing.make_site()
    home = portal.site.root_page
    news = testing.make_column(home, title="工作动态", column_type="工作动态")
    testing.make_article(news, title="市政府召开常务会议")
    testing.make_column(home, title="机构职能", column_type="机构职能")
    offer_services(home)
    today = timezone.localdate()

    national = inspect(served, portal, today)
    assert national["crawl_verdict"].label != "单项否决"
    assert national["platform_verdict"].label != "单项否决"
    assert len(_paths(national["db"], "column.empty")) == 1

    choose("liangping-2021")
    liangping = inspect(served, portal, today)
    assert liangping["crawl_verdict"].decided_by == "column.empty"
    assert liangping["platform_verdict"].decided_by == "column.empty"
    assert liangping["platform_verdict"].label == "单项否决"


def test_nantong_counts_policy_columns_at_any_level(served: str) -> None:
    portal = testing.make_site()
    home = portal.site.root_page
    disclosure = testing.make_column(home, title="政府信息公开", column_type="信息公开目录")
    policies = testing.make_column(disclosure, title="规范性文件", column_type="政策文件")
    testing.make_policy(policies)
    seven_months_on = timezone.localdate() + dt.timedelta(days=200)

    national = inspect(served, portal, seven_months_on)
    kinds = {f.extra["kind"] for f in national["db"] if f.rule_id == "column.stale"}
    assert kinds == {"long"}  # a second-level 政策文件 column is not counted towards the veto
    assert not any(f.extra.get("column_type") == "政策文件"
                   for f in national["crawl"] if f.rule_id == "column.stale")

    choose("nantong-2019")
    nantong = inspect(served, portal, seven_months_on)
    kinds = {f.extra["kind"] for f in nantong["db"] if f.rule_id == "column.stale"}
    assert kinds == {"typed"}
    assert any(f.extra.get("column_type") == "政策文件"
               for f in nantong["crawl"] if f.rule_id == "column.stale")


def test_an_admin_override_of_a_column_limit_reaches_the_inspector_and_the_content_selector_alike(
        portal: Any) -> None:
    home = portal.site.root_page
    news = testing.make_column(home, title="工作动态", column_type="工作动态")
    services.set_override(key="column.stale.max_age_days_by_type",
                          value={"工作动态": 5, "要闻": 5, "通知公告": 183, "政策文件": 183},
                          reason="市政府办通知：动态信息每5天至少更新一次", acting_user=None)
    [freshness] = [c for c in content_selectors.column_freshness(home) if c.column_id == news.pk]
    assert freshness.interval_days == 5
    assert load_rulebook().rule("column.stale").param("max_age_days_by_type")["工作动态"] == 5
    assert load_rulebook("").rule("column.stale").param("max_age_days_by_type")["工作动态"] == 14


def test_a_site_may_follow_its_own_variant_while_the_cluster_keeps_the_national_rules(
        portal: Any, department_site: Any) -> None:
    choose("liangping-2021", site=department_site)
    assert load_rulebook(site=department_site).rule("column.empty").param("veto_count") == 1
    assert load_rulebook(site=portal).rule("column.empty").param("veto_count") == 5
    assert load_rulebook().rule("column.empty").param("veto_count") == 5


def test_an_admin_override_of_the_archive_age_reaches_the_daily_archiving(portal: Any) -> None:
    home = portal.site.root_page
    special = testing.make_column(home, title="专题", column_type="专题专栏")
    testing.make_article(special, title="专题新闻")
    ninety_days_on = timezone.now() + dt.timedelta(days=90)
    assert archive_expired_columns(now=ninety_days_on) == []
    services.set_override(key="column.archive_after_days_by_type", value={"专题专栏": 60},
                          reason="本市专题专栏两个月未更新即归档", acting_user=None)
    assert [c.pk for c in archive_expired_columns(now=ninety_days_on)] == [special.pk]


def test_meizhou_accepts_its_chinese_domain_with_a_middle_dot_and_the_nation_does_not() -> None:
    with pytest.raises(ValidationError, match=r"名称\.政务"):
        validators.validate_chinese_domain("梅州市人民政府·政务")
    choose("meizhou-2021")
    validators.validate_chinese_domain("梅州市人民政府·政务")
    validators.validate_chinese_domain("梅州市人民政府.政务")
    with pytest.raises(ValidationError):
        validators.validate_chinese_domain("梅州市人民政府·中国")


def test_liangping_turns_proofreading_on_where_a_site_has_no_policy_of_its_own(
        portal: Any, news_column: Any) -> None:
    from govsites.workflow.models import ProofreadTask
    from govsites.workflow.routing import skip_reason
    from govsites.workflow.services import set_review_policy

    item = testing.make_article(news_column, publish=False)
    first_pass = ProofreadTask(name="一校", role="editor", scope="organisation",
                               applies_from="normal", pass_number=1)
    assert skip_reason(first_pass, item) == "本网站未启用三校。"
    choose("liangping-2021")
    assert skip_reason(first_pass, item) == ""
    set_review_policy(site=portal, acting_user=None, proofreading_enabled=False, applies_from={})
    assert skip_reason(first_pass, item) == "本网站未启用三校。"  # the site's own policy wins


def test_the_inspect_commands_variant_uses_the_shipped_file_without_the_database() -> None:
    assert load_rulebook("meizhou-2021").rule("column.stale").param(
        "max_age_days_by_type")["工作动态"] == 7
    assert load_rulebook("national").rule("column.stale").param("max_age_days_by_type")["工作动态"] == 14
    assert rules.from_files("liangping-2021").value("column.empty.veto_count") == 1


def test_the_review_policy_pages_show_proofreading_as_the_variant_sets_it(
        client: Any, portal: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from govsites.testing import login_verified

    admin = get_user_model().objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")
    login_verified(client, admin)
    edit = reverse("govsites_workflow:review_policy_edit", args=[portal.pk])
    assert 'name="proofreading" checked' not in client.get(edit).content.decode()
    choose("liangping-2021")
    assert 'name="proofreading" checked' in client.get(edit).content.decode()
    listing = client.get(reverse("govsites_workflow:review_policies")).content.decode()
    assert "启用（按规则）" in listing
