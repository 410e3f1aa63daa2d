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
    rel = items[0].url_path.split("/", 2)[2]
    assert f"<loc>https://www.shili.gov.cn/{rel}</loc>" in chunk
    assert f'hreflang="zh-Hant" href="https://www.shili.gov.cn/zh-hant/{rel}"' in chunk
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://www.shili.gov.cn/sitemap.xml" in robots
