import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from govsites import testing
from govsites.content.models import InterpretationPage, ServiceGuidePage
from govsites.content.services import (
    archive_column,
    archive_item,
    change_validity,
    publish_item,
    reprint_item,
    unique_child_slug,
    withdraw_item,
)

SITE_TAGS = {"SiteName", "SiteDomain", "SiteIDCode"}
COLUMN_TAGS = {"ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"}
ITEM_TAGS = {"ArticleTitle", "PubDate", "ContentSource"}


class MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            a = dict(attrs)
            if a.get("name"):
                self.meta[a["name"]] = a.get("content", "")


def fetch(client, page, host="localhost"):
    response = client.get(page.url if hasattr(page, "url") else page, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    parser = MetaParser()
    parser.feed(html)
    return html, parser.meta


def assert_footer(html, profile):
    assert f"主办单位：{profile.host_organisation.name}" in html
    assert profile.phone in html and profile.address in html
    assert f"网站标识码：{profile.site_code}" in html
    assert f'href="https://beian.miit.gov.cn/" rel="noopener">{profile.icp_number}</a>' in html
    assert profile.police_number in html and profile.police_record_code in html
    assert 'id="conac-mark"' in html
    assert ">网站地图</a>" in html
    assert ">我为政府网站找错</a>" in html


@pytest.fixture
def every_page(portal, portal_home, news_column, policy_column):
    article = testing.make_article(news_column, title="市政府召开常务会议", author="王编辑",
                                   keywords="常务会议", summary="会议研究部署冬季工作")
    policy = testing.make_policy(policy_column)
    interp = InterpretationPage(title="政策解读：测试办法", slug="interp", policy=policy,
                                body="<p>解读正文</p>")
    policy_column.add_child(instance=interp)
    publish_item(item=interp, acting_user=None)
    guide = ServiceGuidePage(
        title="转学办事指南", slug=unique_child_slug(news_column, "guide"), item_name="转学",
        legal_basis="义务教育法", conditions="户籍迁移", materials="申请表", location="政务中心",
        handling_body="教育局", fees="不收费", hours="工作日", phone="0753-1", procedure="申请—办结")
    news_column.add_child(instance=guide)
    publish_item(item=guide, acting_user=None)
    return {"home": portal_home, "column": news_column, "article": article, "policy": policy,
            "interpretation": interp, "guide": guide}


@pytest.mark.parametrize("kind", ["home", "column", "article", "policy", "interpretation",
                                  "guide"])
def test_every_page_type_has_footer_furniture_and_mandatory_meta_tags(client, portal, every_page,
                                                                       kind):
    html, meta = fetch(client, every_page[kind])
    assert_footer(html, portal)
    assert set(meta) >= SITE_TAGS
    assert meta["SiteName"] == portal.name and meta["SiteDomain"] == portal.domain
    assert meta["SiteIDCode"] == portal.site_code
    if kind in ("home", "column"):
        assert set(meta) >= COLUMN_TAGS
    else:
        assert set(meta) >= ITEM_TAGS
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"])
        assert meta["Url"].startswith("https://www.shili.gov.cn/")


def test_column_and_article_tags_carry_the_metadata(client, every_page):
    _html, meta = fetch(client, every_page["column"])
    assert meta["ColumnType"] == "工作动态" and meta["ColumnName"] == "工作动态"
    _html, meta = fetch(client, every_page["article"])
    assert meta["ArticleTitle"] == "市政府召开常务会议"
    assert meta["Author"] == "王编辑" and meta["Keywords"] == "常务会议"
    assert meta["Description"] == "会议研究部署冬季工作"
    assert meta["ContentSource"] == "示例市人民政府"


def test_the_site_map_page_has_the_footer_and_site_tags(client, portal, every_page):
    html, meta = fetch(client, "/site-map/")
    assert_footer(html, portal)
    assert set(meta) >= SITE_TAGS
    assert "工作动态" in html


def test_policy_page_shows_the_information_index_table_and_its_interpretations(client,
                                                                               every_page):
    policy = every_page["policy"]
    html, _meta = fetch(client, policy)
    for label in ["索引号", "主题分类", "发文机关", "成文日期", "发文字号", "发布日期", "有效性"]:
        assert f'<th scope="row">{label}</th>' in html
    assert policy.index_no in html and "综合政务\\政务公开" in html
    assert "示政办发〔2026〕1号" in html and "现行有效" in html
    assert "政策解读：测试办法" in html
    html, _meta = fetch(client, every_page["interpretation"])
    assert f'href="{policy.url}"' in html


def test_repealed_policy_carries_a_banner_with_its_successor(client, policy_column):
    old = testing.make_policy(policy_column, title="旧办法")
    new = testing.make_policy(policy_column, title="新办法", document_number="示政办发〔2026〕2号")
    change_validity(policy=old, validity="repealed", changed_on=dt.date(2026, 11, 1),
                    superseded_by=new, acting_user=None)
    html, _meta = fetch(client, old)
    assert "本文件已废止" in html and "2026-11-01" in html and "新办法" in html


def test_archived_column_and_item_say_so_and_stay_readable(client, news_column):
    item = testing.make_article(news_column, title="旧闻")
    archive_item(item=item, acting_user=None)
    html, _meta = fetch(client, item)
    assert "已归档" in html and "归档日期" in html and "旧闻" in html
    archive_column(column=news_column, acting_user=None)
    html, _meta = fetch(client, news_column)
    assert "已归档" in html


def test_a_reprint_shows_its_source_and_follows_withdrawal_and_repeal(
        client, news_column, policy_column, department_site):
    dept_home = department_site.site.root_page
    dept_column = testing.make_column(dept_home, title="转载文件", column_type="政策文件")
    policy = testing.make_policy(policy_column, title="被转载的文件")
    copy = reprint_item(item=policy, column=dept_column, acting_user=None)
    html, meta = fetch(client, copy, host="jyj.localhost")
    assert "转载自" in html and policy.full_url in html
    assert meta["SiteName"] == "示例市教育局"
    change_validity(policy=policy, validity="expired", changed_on=dt.date(2026, 11, 2),
                    acting_user=None)
    html, _meta = fetch(client, copy, host="jyj.localhost")
    assert "本文件已失效" in html

    article = testing.make_article(news_column, title="将被撤稿的新闻")
    article_copy = reprint_item(item=article, column=dept_column, acting_user=None)
    withdraw_item(item=article, reason="信息有误", acting_user=None)
    html, _meta = fetch(client, article_copy, host="jyj.localhost")
    assert "本信息已撤稿" in html and "信息有误" in html


def test_a_new_item_appears_in_its_column_list_and_on_the_home_page(client, portal_home,
                                                                    news_column):
    item = testing.make_article(news_column, title="今日要闻")
    html, _meta = fetch(client, news_column)
    assert "今日要闻" in html
    html, _meta = fetch(client, portal_home)
    assert "今日要闻" in html and item.url in html
