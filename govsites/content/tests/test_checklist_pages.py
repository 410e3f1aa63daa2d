"""Public pages as the rule checklist asks: the 办事指南 table (CC-15) and the 适老化 mode
without ads or pop-ups and with the extra-large cursor (PA-08, PA-09)."""

import re

import pytest
from django.contrib.staticfiles import finders

from govsites import testing
from govsites.content.models import ServiceGuidePage
from govsites.content.models.pages import SERVICE_GUIDE_ELEMENTS
from govsites.content.services import publish_item, unique_child_slug


@pytest.fixture
def guide(news_column):
    page = ServiceGuidePage(
        title="转学办事指南", slug=unique_child_slug(news_column, "guide"), item_name="转学",
        legal_basis="义务教育法", conditions="户籍迁移", materials="申请表", location="政务中心",
        handling_body="教育局", fees="不收费", hours="工作日", phone="0753-1", procedure="申请—办结")
    news_column.add_child(instance=page)
    publish_item(item=page, acting_user=None)
    return page


def test_a_service_guide_shows_its_ten_elements_as_a_table(client, guide):
    html = client.get(guide.url, HTTP_HOST="localhost").content.decode()
    table = re.search(r'<table class="guide-table">.*?</table>', html, re.S)
    assert table is not None
    rows = re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table.group(0))
    assert [label for label, _value in rows] == [str(label) for _name, label in SERVICE_GUIDE_ELEMENTS]
    assert dict(rows)["收费标准"] == "不收费"


def test_care_mode_pages_carry_no_advert_frame_or_pop_up(client, guide, news_column):
    testing.make_article(news_column, title="适老化模式下的新闻")
    client.cookies["govsites_mode"] = "care"
    css = client.get("/_govsites/mode.css", HTTP_HOST="localhost").content.decode()
    assert ".ad," in css and ".popup" in css and "display: none !important" in css
    for url in ("/", news_column.url, guide.url):
        html = client.get(url, HTTP_HOST="localhost").content.decode()
        assert "<iframe" not in html and "window.open" not in html
        assert not re.search(r'class="[^"]*\b(ad|ads|popup|pop-up|float|floating)\b', html)


def test_care_mode_uses_the_extra_large_cursor(client, news_column):
    client.cookies["govsites_mode"] = "care"
    care = client.get("/_govsites/mode.css", HTTP_HOST="localhost").content.decode()
    client.cookies["govsites_mode"] = "standard"
    standard = client.get("/_govsites/mode.css", HTTP_HOST="localhost").content.decode()
    assert "cursor-large.svg" in care and "cursor-large.svg" not in standard
    assert finders.find("govsites/cursor-large.svg")
