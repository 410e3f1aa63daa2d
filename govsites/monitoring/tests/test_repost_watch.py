"""CC-30: important policy items of the site's own portal and of the level above must be reposted
within the variant's hours (丹东 12; national 及时, no number). The watch lists what each site has
not reposted, matched by 转载, title, 发文字号 or 来源网址; an overdue one is a platform finding,
hence a 整改单; upstream portals outside the cluster arrive as feeds read only inside the
allowed networks."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core import periodic
from govsites.monitoring import services
from govsites.monitoring.models import Ticket, UpstreamEntry
from govsites.monitoring.platform_rules import platform_findings
from govsites.monitoring.prober import probe_url
from govsites.monitoring.reposting import FeedError, missing_reposts, parse_feed
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules import services as rule_services

from .admin_helpers import client_for, county_with_site, make_user

pytestmark = pytest.mark.django_db
PUBLISHED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
RULE = "content.repost_overdue"
FEED_URL = "http://feed.localhost/zcwj/rss.xml"
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>省政府门户网站 重要政策</title>
<item><title>省人民政府关于进一步优化营商环境的意见</title>
<link>http://feed.localhost/zcwj/2026/0601/1.html</link>
<description>粤府〔2026〕12号</description><pubDate>Mon, 01 Jun 2026 01:00:00 GMT</pubDate></item>
<item><title>省人民政府办公厅关于做好防汛工作的通知</title>
<link>http://feed.localhost/zcwj/2026/0601/2.html</link></item>
</channel></rss>"""


def _variant(name: str) -> None:
    rule_services.choose_variant(variant=name, reason="本市施行该管理办法", site=None,
                                 acting_user=None)


def _published(page: Any, when: dt.datetime = PUBLISHED) -> Any:
    Page.objects.filter(pk=page.pk).update(first_published_at=when)
    page.refresh_from_db()
    return page


def _important(column: Any, title: str = "示例市人民政府关于印发营商环境改革方案的通知",
               **fields: Any) -> Any:
    return _published(testing.make_article(column, title=title, importance="major", **fields))


def _department_column(department_site: Any) -> Any:
    return testing.make_column(department_site.site.root_page.specific, title="转载信息",
                               column_type="工作动态")


def _findings(profile: Any, as_of: dt.date) -> list[Any]:
    found = platform_findings(profile, base_url=probe_url(profile),
                              rulebook=load_rulebook(site=profile), as_of=as_of)
    return [f for f in found if f.rule_id == RULE]


def test_a_department_site_has_twelve_hours_to_repost_its_portals_important_item(
        portal: Any, department_site: Any, news_column: Any) -> None:
    _variant("dandong-2019")
    item = _important(news_column)
    testing.make_article(news_column, title="示例市召开一般工作会议")  # importance 一般
    [due] = missing_reposts(department_site, now=PUBLISHED + dt.timedelta(hours=1))
    assert due.item.item_id == item.pk and due.max_hours == 12
    assert not due.overdue(PUBLISHED + dt.timedelta(hours=12))
    assert due.overdue(PUBLISHED + dt.timedelta(hours=12, minutes=1))
    assert missing_reposts(portal, now=PUBLISHED + dt.timedelta(days=1)) == []
    [late] = _findings(department_site, PUBLISHED.date() + dt.timedelta(days=1))
    assert "12 小时" in late.message and item.title in late.evidence
    assert services.raise_overdue_reposts(as_of=PUBLISHED.date() + dt.timedelta(days=1)) == 1
    ticket = Ticket.objects.get(rule_id=RULE)
    assert ticket.site == department_site and ticket.url == late.url


@pytest.mark.parametrize("how", ["reprint", "title", "document_number", "source_url"])
def test_a_repost_by_reprint_title_number_or_source_link_clears_the_item(
        portal: Any, department_site: Any, policy_column: Any, how: str) -> None:
    _variant("dandong-2019")
    original = _published(testing.make_policy(
        policy_column, title="示例市人民政府关于印发促进就业若干措施的通知", importance="major",
        document_number="示府〔2026〕5号"))
    column = _department_column(department_site)
    if how == "reprint":
        original.create_alias(parent=column, update_slug=f"{original.slug}-zz")
    elif how == "title":
        testing.make_article(column, title=" 示例市人民政府关于印发促进就业若干措施的通知")
    elif how == "document_number":
        testing.make_policy(column, title="转发：促进就业若干措施", document_number="示府〔2026〕5号")
    else:
        testing.make_article(column, title="我局转发促进就业措施", source_url=original.full_url)
    assert missing_reposts(department_site, now=PUBLISHED + dt.timedelta(days=1)) == []


def test_without_a_number_of_hours_the_national_rule_lists_the_item_but_raises_nothing(
        portal: Any, department_site: Any, news_column: Any) -> None:
    _important(news_column)
    [due] = missing_reposts(department_site, now=PUBLISHED + dt.timedelta(days=3))
    assert due.max_hours is None and due.due is None
    assert not due.overdue(PUBLISHED + dt.timedelta(days=3))
    assert _findings(department_site, PUBLISHED.date() + dt.timedelta(days=3)) == []


def test_a_county_site_reposts_the_city_portal_and_the_watch_window_is_rule_data(
        portal: Any, news_column: Any) -> None:
    _variant("bozhou-2019")
    _county, county_site = county_with_site(portal.host_organisation)
    item = _important(news_column)
    [due] = missing_reposts(county_site, now=PUBLISHED + dt.timedelta(days=1))
    assert due.item.item_id == item.pk and due.max_hours == 12
    rule_services.set_override(key="repost.watch_days", value=1, reason="只看最近一天",
                               acting_user=None)
    assert missing_reposts(county_site, now=PUBLISHED + dt.timedelta(days=2)) == []


def _feeds(value: dict[str, str]) -> None:
    rule_services.set_override(key="repost.upstream_feeds", value=value,
                               reason="省政府门户网站重要政策栏目的订阅源", acting_user=None)


def _serving(body: str, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, text=body))


def test_an_upstream_feed_is_read_once_and_every_site_must_repost_its_entries(
        portal: Any, department_site: Any) -> None:
    _variant("dandong-2019")
    _feeds({"省政府门户网站": FEED_URL})
    now = PUBLISHED + dt.timedelta(hours=2)
    assert services.fetch_upstream_feeds(transport=_serving(RSS), now=now) == {
        "added": 2, "errors": {}}
    assert services.fetch_upstream_feeds(transport=_serving(RSS), now=now)["added"] == 0
    first = UpstreamEntry.objects.get(link__endswith="/1.html")
    assert first.document_number == "粤府〔2026〕12号"
    assert first.published_at == PUBLISHED  # 01:00 GMT is 09:00 in Shanghai
    assert UpstreamEntry.objects.get(link__endswith="/2.html").published_at == now
    for site in (portal, department_site):
        titles = {due.item.title for due in missing_reposts(site, now=now)}
        assert titles == {"省人民政府关于进一步优化营商环境的意见", "省人民政府办公厅关于做好防汛工作的通知"}
    home = portal.site.root_page.specific
    testing.make_article(testing.make_column(home, title="转载", column_type="工作动态"),
                         title="转发省政府意见", source_url=first.link + "/")
    assert {d.item.key for d in missing_reposts(portal, now=now)} == {
        f"feed:{UpstreamEntry.objects.get(link__endswith='/2.html').pk}"}


def test_a_feed_outside_the_allowed_networks_or_not_a_feed_changes_nothing(portal: Any) -> None:
    _feeds({"境外": "http://203.0.113.9/rss.xml", "本地": FEED_URL})
    result = services.fetch_upstream_feeds(transport=_serving("<html>not a feed</html>"))
    assert set(result["errors"]) == {"境外", "本地"} and result["added"] == 0
    assert "不在允许访问的网络范围" in result["errors"]["境外"]
    assert not UpstreamEntry.objects.exists()
    with pytest.raises(FeedError):
        parse_feed(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>')


def test_the_watch_page_shows_a_supervisor_what_is_not_reposted(
        portal: Any, department_site: Any, news_column: Any) -> None:
    _variant("dandong-2019")
    item = _published(_important(news_column), timezone.now() - dt.timedelta(hours=13))
    url = reverse("monitoring_reposts:index")
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    page = client_for(supervisor).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert item.title in html and department_site.name in html and "已超期" in html
    editor = make_user(portal.host_organisation, Role.EDITOR)
    assert client_for(editor).get(url).status_code == 404


def test_only_those_who_may_see_the_watch_find_it_in_the_menu(portal: Any) -> None:
    """The menu offered an entry that answered 404 to editors and reviewers."""
    url = reverse("monitoring_reposts:index")
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    editor = make_user(portal.host_organisation, Role.EDITOR)
    assert url in client_for(supervisor).get("/admin/").content.decode()
    assert url not in client_for(editor).get("/admin/").content.decode()


def test_the_watch_runs_every_hour() -> None:
    [job] = [job for job in periodic.jobs() if job.name == "monitoring.repost_watch"]
    assert job.every == dt.timedelta(hours=1)
