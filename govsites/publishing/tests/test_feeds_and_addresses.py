from __future__ import annotations

import feedparser
import pytest

from govsites import testing
from govsites.publishing.services import rebuild_sites


@pytest.fixture
def site_tree(cluster, publish_root):
    items = [testing.make_article(cluster["news"], title=f"第{n}条动态", summary=f"摘要{n}")
             for n in range(3)]
    rebuild_sites(acting_user=None)
    return publish_root / "localhost", items


def test_site_and_column_feeds_are_valid_rss_and_atom(site_tree, cluster):
    site, _items = site_tree
    column = cluster["news"].url_path.split("/", 2)[2]
    for rel, version in (("rss.xml", "rss20"), ("atom.xml", "atom10"),
                         (column + "rss.xml", "rss20"), (column + "atom.xml", "atom10")):
        feed = feedparser.parse((site / rel).read_bytes())
        assert not feed.bozo, (rel, feed.bozo_exception)
        assert feed.version == version
        titles = [e.title for e in feed.entries]
        assert titles[0] == "第2条动态" and len(titles) == 3
        assert feed.entries[0].link.startswith("https://www.shili.gov.cn/")


def test_sitemap_and_robots_name_the_public_domain(site_tree):
    site, items = site_tree
    index = (site / "sitemap.xml").read_text()
    assert "<sitemapindex" in index and "https://www.shili.gov.cn/sitemap-0.xml" in index
    chunk = (site / "sitemap-0.xml").read_text()
    rel = testing.public_address(items[0]).lstrip("/")
    assert rel.endswith(f"_{items[0].pk}.html")
    assert f"<loc>https://www.shili.gov.cn/{rel}</loc>" in chunk
    assert f'hreflang="zh-Hant" href="https://www.shili.gov.cn/zh-hant/{rel}"' in chunk
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://www.shili.gov.cn/sitemap.xml" in robots


def test_hant_feeds_and_sitemaps_are_published_under_zh_hant_with_hant_links(site_tree,
                                                                           cluster):
    site, items = site_tree
    column = cluster["news"].url_path.split("/", 2)[2]
    for rel, version in (("zh-hant/rss.xml", "rss20"), ("zh-hant/atom.xml", "atom10"),
                         ("zh-hant/" + column + "rss.xml", "rss20"),
                         ("zh-hant/" + column + "atom.xml", "atom10")):
        feed = feedparser.parse((site / rel).read_bytes())
        assert not feed.bozo and feed.version == version, rel
        assert feed.entries[0].title == "第2條動態"
        assert feed.entries[0].link.startswith("https://www.shili.gov.cn/zh-hant/")
        assert "示例市人民政府" in feed.feed.title  # a proper name: unchanged by OpenCC
    item_rel = testing.public_address(items[0]).lstrip("/")
    index = (site / "zh-hant/sitemap.xml").read_text()
    assert "https://www.shili.gov.cn/zh-hant/sitemap-0.xml" in index
    chunk = (site / "zh-hant/sitemap-0.xml").read_text()
    assert f"<loc>https://www.shili.gov.cn/zh-hant/{item_rel}</loc>" in chunk
    assert "Sitemap: https://www.shili.gov.cn/zh-hant/sitemap.xml" in (site / "robots.txt").read_text()


def test_hant_pages_link_to_the_hant_pages_of_other_sites_of_the_cluster():
    from govsites.publishing.variants import html_to_hant

    hosts = frozenset({"jyj.localhost:8000", "jyj.shili.gov.cn", "localhost"})
    html = ('<p><a href="http://jyj.localhost:8000/news/">教育局动态</a>'
            '<a href="https://jyj.shili.gov.cn/">教育局</a>'
            '<a href="//jyj.shili.gov.cn/documents/1/a.pdf">附件</a>'
            '<a href="https://www.gov.cn/zhengce/">中国政府网</a>'
            '<a href="/news/">本站</a></p>')
    out = html_to_hant(html, None, hosts)
    assert 'href="http://jyj.localhost:8000/zh-hant/news/"' in out
    assert 'href="https://jyj.shili.gov.cn/zh-hant/"' in out
    assert 'href="//jyj.shili.gov.cn/documents/1/a.pdf"' in out  # files have no 繁体 copy
    assert 'href="https://www.gov.cn/zhengce/"' in out  # outside the cluster
    assert 'href="/zh-hant/news/"' in out
