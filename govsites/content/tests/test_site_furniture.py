"""Site furniture on every public page: the 标识区 (ID-11, emblem, banner), the 党政机关网站标识
(ID-15), the 站群导航, the article tools and the <title>."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.content.models import SiteFurniture


def _get(client, url, host="localhost"):
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_title_names_the_site_once(client, portal):
    html = _get(client, "/")
    assert re.search(r"<title>(.*?)</title>", html).group(1) == "示例市人民政府"


def test_item_title_names_the_item_then_the_site(client, news_column):
    item = testing.make_article(news_column, title="全市安全生产工作会议召开")
    html = _get(client, item.url)
    assert "<title>全市安全生产工作会议召开 - 示例市人民政府</title>" in html


def test_header_names_the_host_organisation_in_full(client, portal, department_site):
    portal.name = "示例市人民政府门户网站"
    portal.save()
    html = _get(client, "/")
    header = html[html.index('<header'):html.index('</header>')]
    assert re.search(r'class="site-name"><a [^>]*>示例市人民政府</a>', header)
    assert "示例市人民政府门户网站" in header
    department = _get(client, "/", host="jyj.localhost")
    assert re.search(r'class="site-name"><a [^>]*>示例市教育局</a>',
                     department[department.index('<header'):])


def test_conac_mark_hangs_bottom_centre_on_every_page_once_uploaded(client, portal, news_column):
    item = testing.make_article(news_column, title="一则动态")
    assert "<!-- 党政机关网站标识：由机构编制部门核发后在此处悬挂 -->" in _get(client, "/")
    furniture = SiteFurniture(site=portal.site, conac_mark=testing.make_image("党政机关网站标识"),
                              conac_url="https://bszs.conac.cn/sitename?method=show&id=1")
    furniture.full_clean()
    furniture.save()
    for url in ("/", news_column.url, item.url, "/site-map/"):
        html = _get(client, url)
        footer = html[html.index('<footer'):]
        mark = footer[footer.index('id="conac-mark"'):]
        assert re.match(r'id="conac-mark"[^>]*><a href="https://bszs.conac.cn/sitename\?'
                        r'method=show&amp;id=1" rel="noopener"><img [^>]*alt="党政机关网站标识"',
                        mark), url


def test_conac_mark_link_must_be_the_issuers_verification_address(portal):
    furniture = SiteFurniture(site=portal.site, conac_mark=testing.make_image(),
                              conac_url="https://example.com/fake-mark")
    with pytest.raises(ValidationError) as refused:
        furniture.full_clean()
    assert "conac.cn" in refused.value.message_dict["conac_url"][0]


def test_emblem_and_banner_appear_in_the_header(client, portal):
    SiteFurniture.objects.create(site=portal.site, emblem=testing.make_image("国徽"),
                                 banner=testing.make_image("横幅", size=(800, 100)))
    html = _get(client, "/")
    header = html[html.index('<header'):html.index('</header>')]
    assert 'class="banner-image"' in header and 'class="emblem"' in header


def test_cluster_navigation_links_the_portal_and_its_department_and_county_sites(
        client, portal, department_site):
    county_org = testing.make_organisation("示例县人民政府", kind="government")
    testing.make_site(name="示例县人民政府", kind="county", organisation=county_org,
                      domain="www.shilixian.gov.cn", hostname="county.localhost",
                      is_default=False)
    portal_html = _get(client, "/")
    nav = portal_html[portal_html.index('aria-label="站群导航"'):]
    nav = nav[:nav.index("</nav>")]
    assert "<summary>部门网站</summary>" in nav and ">示例市教育局</a>" in nav
    assert "<summary>区县网站</summary>" in nav and ">示例县人民政府</a>" in nav
    assert "返回" not in nav
    department_html = _get(client, "/", host="jyj.localhost")
    nav = department_html[department_html.index('aria-label="站群导航"'):]
    assert re.search(r'<a href="http://localhost[^"]*/">返回示例市人民政府门户网站</a>', nav)
    assert '<span aria-current="true">示例市教育局</span>' in nav


def test_item_pages_offer_print_and_three_font_sizes(client, news_column):
    item = testing.make_article(news_column, title="可打印的文章")
    html = _get(client, item.url)
    tools = html[html.index('class="article-tools"'):]
    tools = tools[:tools.index("</nav>")]
    assert [m for m in re.findall(r'href="#zoom-(\w+)"[^>]*>(.)<', tools)] == [
        ("large", "大"), ("medium", "中"), ("small", "小")]
    assert 'class="print-button"' in tools and ">打印<" in tools
    assert "govsites/article-tools.js" in html


def test_preview_of_an_unpublished_item_shows_no_empty_publication_date(news_column):
    from django.test import RequestFactory

    item = testing.make_article(news_column, title="尚未发布的稿件", publish=False)
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = item.serve_preview(request, "").render().content.decode()
    assert "发布日期：" not in html and "尚未发布（预览）" in html
