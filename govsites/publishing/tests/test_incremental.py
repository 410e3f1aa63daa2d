"""Incremental publishing: a change rewrites the item and everything that shows it."""

from __future__ import annotations

import datetime as dt

from wagtail.models import Page

from govsites import testing
from govsites.content import services as content
from govsites.content.models import InterpretationPage
from govsites.publishing.models import PublishedFile, PublishedUrl, UrlState
from govsites.publishing.services import rebuild_sites


def read(root, host, rel):
    return (root / host / rel).read_text(encoding="utf-8")


def rel(page):
    """The page's address relative to its site root, without the leading slash."""
    return page.url_path.split("/", 2)[2]


def test_new_item_appears_on_its_page_column_list_home_and_reprints(cluster, publish_root,
                                                                    publish):
    rebuild_sites(acting_user=None)
    old = testing.make_article(cluster["news"], title="旧闻一则")
    reprint = publish(content.reprint_item, item=old, column=cluster["dept_news"],
                      acting_user=None)
    item = publish(testing.make_article, cluster["news"], title="全市防汛工作会议召开")
    assert "全市防汛工作会议召开" in read(publish_root, "localhost", testing.published_file(item))
    assert "全市防汛工作会议召开" in read(publish_root, "localhost", rel(cluster["news"]) + "index.html")
    assert "全市防汛工作会议召开" in read(publish_root, "localhost", "index.html")
    assert "全市防汛工作會議召開" in read(publish_root, "localhost", "zh-hant/index.html")
    assert "全市防汛工作会议召开" in read(publish_root, "localhost", "rss.xml")
    # an edit of the reprinted original reaches the department site's copy, column and home
    old.title = "旧闻一则（更正）"
    publish(content.publish_item, item=old, acting_user=None)
    assert "旧闻一则（更正）" in read(publish_root, "jyj.localhost", testing.published_file(reprint))
    assert "旧闻一则（更正）" in read(publish_root, "jyj.localhost", "index.html")
    listing = read(publish_root, "jyj.localhost", rel(cluster["dept_news"]) + "index.html")
    assert "旧闻一则（更正）" in listing


def test_column_listing_keeps_the_newest_page_first_and_numbers_older_pages_from_the_oldest(
        cluster, publish_root):
    for n in range(45):
        testing.make_article(cluster["news"], title=f"动态{n:02d}")
    rebuild_sites(acting_user=None)
    newest = read(publish_root, "localhost", rel(cluster["news"]) + "index.html")
    assert "动态44" in newest and "动态20" in newest and "动态19" not in newest
    oldest = read(publish_root, "localhost", rel(cluster["news"]) + "index_1.html")
    assert "动态00" in oldest and "动态19" in oldest and "动态20" not in oldest
    assert not (publish_root / "localhost" / rel(cluster["news"]) / "index_2.html").exists()
    assert (publish_root / "localhost" / ("zh-hant/" + rel(cluster["news"]) + "index_1.html")).is_file()


def test_publishing_an_item_rewrites_no_older_listing_page_until_a_group_completes(
        cluster, publish_root, publish):
    from govsites.publishing.render import RenderSession
    from govsites.publishing.targets import plan_for_pages

    column = cluster["news"]
    for n in range(79):
        testing.make_article(column, title=f"旧闻{n:02d}")
    rebuild_sites(acting_user=None)
    folder = publish_root / "localhost" / rel(column)
    stamps = {n: (folder / f"index_{n}.html").stat().st_mtime_ns for n in (1, 2)}
    item = publish(testing.make_article, column, title="第八十条")
    assert "第八十条" in read(publish_root, "localhost", rel(column) + "index.html")
    # 80 items: a fourth group completed, so older page 3 appears and page 2 links to it
    assert (folder / "index_3.html").is_file()
    assert "?page=3" in (folder / "index_2.html").read_text()
    assert (folder / "index_1.html").stat().st_mtime_ns == stamps[1]
    item2 = publish(testing.make_article, column, title="第八十一条")
    plan = plan_for_pages(RenderSession.load(), [item2.pk])
    assert not [t for t in plan.targets if t.kind == "listing"]
    # withdrawing an old item shifts the pages from its own to the newest
    old = column.get_children().live().order_by("first_published_at").specific()[25]
    old.unpublish()
    plan = plan_for_pages(RenderSession.load(), [old.pk])
    assert sorted(t.part for t in plan.targets if t.kind == "listing") == [2, 3]
    # editing an item rewrites only its own older page
    first = column.get_children().live().order_by("first_published_at").specific()[0]
    plan = plan_for_pages(RenderSession.load(), [first.pk])
    assert sorted(t.part for t in plan.targets if t.kind == "listing") == [1]
    assert item.pk


def test_odd_page_numbers_answer_the_newest_page_not_an_error(client, cluster):
    for n in range(3):
        testing.make_article(cluster["news"], title=f"页码{n}")
    for value in ("²", "9" * 5000, "-1", "abc", "0"):
        response = client.get("/" + rel(cluster["news"]) + "?page=" + value,
                              HTTP_HOST="localhost")
        assert response.status_code == 200 and "页码2" in response.content.decode()


def test_interpretation_republishes_the_policy_that_lists_it(cluster, publish_root, publish):
    policy = testing.make_policy(cluster["policies"], title="关于印发示例办法的通知")
    rebuild_sites(acting_user=None)
    assert "相关解读" not in read(publish_root, "localhost", testing.published_file(policy))

    def make_interpretation():
        interp = InterpretationPage(title="一图读懂示例办法", slug="tu-jie", policy=policy,
                                    body="<p>解读</p>")
        cluster["policies"].add_child(instance=interp)
        content.publish_item(item=interp, acting_user=None)

    publish(make_interpretation)
    page = read(publish_root, "localhost", testing.published_file(policy))
    assert "相关解读" in page and "一图读懂示例办法" in page


def test_withdrawn_item_stays_readable_with_notice_and_reason(cluster, publish_root, publish):
    item = publish(testing.make_article, cluster["news"], title="一则有误的通知")
    publish(content.withdraw_item, item=item, reason="发布日期有误", acting_user=None)
    page = read(publish_root, "localhost", testing.published_file(item))
    assert "本信息已撤稿" in page and "发布日期有误" in page


def test_repealed_policy_shows_banner_and_link_to_current_document(cluster, publish_root,
                                                                   publish):
    old = publish(testing.make_policy, cluster["policies"], title="旧办法")
    new = publish(testing.make_policy, cluster["policies"], title="新办法")
    publish(content.change_validity, policy=old, validity="repealed",
            changed_on=dt.date(2026, 3, 1), superseded_by=new, acting_user=None)
    page = read(publish_root, "localhost", testing.published_file(old))
    assert "本文件已废止" in page and "新办法" in page


def test_unpublished_item_files_are_removed_and_its_address_is_gone(cluster, publish_root,
                                                                    publish):
    item = publish(testing.make_article, cluster["news"], title="将要下线的信息")
    item_file, hant_file = testing.published_file(item), testing.published_file(item, hant=True)
    assert (publish_root / "localhost" / item_file).is_file()
    publish(item.unpublish)
    assert not (publish_root / "localhost" / item_file).exists()
    assert not (publish_root / "localhost" / hant_file).exists()
    assert "将要下线的信息" not in read(publish_root, "localhost", rel(cluster["news"]) + "index.html")
    row = PublishedUrl.objects.get(hostname="localhost", path="/" + item_file)
    assert row.state == UrlState.GONE
    assert not PublishedFile.objects.filter(page_id=item.pk).exists()


def test_title_and_slug_edits_keep_an_items_address(cluster, publish_root, publish):
    item = publish(testing.make_article, cluster["news"], title="改名前")
    address = testing.public_address(item)
    item.title, item.slug = "改名后", "renamed"
    publish(content.publish_item, item=item, acting_user=None)
    assert testing.public_address(item) == address
    assert "改名后" in read(publish_root, "localhost", address.lstrip("/"))
    assert set(PublishedUrl.objects.filter(page_id=item.pk).values_list("path", "state")) == {
        (address, UrlState.LIVE)}


def test_column_rename_leaves_a_permanent_redirect_at_the_items_old_address(
        cluster, publish_root, publish):
    item = publish(testing.make_article, cluster["news"], title="栏目改名前的信息")
    old_address = testing.public_address(item)
    column = cluster["news"]
    column.slug = "renamed"
    publish(lambda: column.save_revision().publish())
    new_address = testing.public_address(item)
    assert new_address != old_address and new_address.startswith("/renamed/")
    assert (publish_root / "localhost" / new_address.lstrip("/")).is_file()
    assert not (publish_root / "localhost" / old_address.lstrip("/")).exists()
    row = PublishedUrl.objects.get(hostname="localhost", path=old_address)
    assert row.state == UrlState.MOVED and row.target == new_address


def test_publish_task_announces_written_and_removed_pages_after_the_files_exist(
        cluster, publish_root, publish):
    from govsites.publishing.signals import pages_published

    seen = []

    def receiver(sender, pages, removed, **kwargs):
        # Each announced page in its own site's tree (a task may write another site's pages).
        on_disk = [(publish_root / p.get_site().hostname / testing.published_file(p)).is_file()
                   for p in Page.objects.filter(pk__in=pages).exclude(depth__lte=2)]
        seen.append((list(pages), list(removed), on_disk))

    pages_published.connect(receiver)
    try:
        item = publish(testing.make_article, cluster["news"], title="通知搜索索引")
        assert any(item.pk in pages and not removed and all(files)
                   for pages, removed, files in seen)
        seen.clear()
        publish(item.unpublish)
        assert seen and item.pk in seen[-1][1] and item.pk not in seen[-1][0]
    finally:
        pages_published.disconnect(receiver)
