"""The embedded server: static first, 301/410 for retired addresses, 繁体 and reading modes."""

from __future__ import annotations

import datetime as dt
import gzip

from django.utils import timezone

from govsites import testing
from govsites.core import periodic
from govsites.publishing import tasks
from govsites.publishing.models import PublishedFile
from govsites.publishing.services import rebuild_sites


def rel(page):
    return testing.public_address(page)


def test_published_page_is_served_from_the_tree_with_precompressed_copy(
        client, cluster, publish_root, static_first):
    article = testing.make_article(cluster["news"], title="静态优先")
    rebuild_sites(acting_user=None)
    response = client.get(rel(article), HTTP_HOST="localhost")
    assert response.status_code == 200 and response["X-Govsites-Static"] == "1"
    assert "静态优先" in response.content.decode()
    zipped = client.get(rel(article), HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == response.content


def test_a_file_the_publisher_did_not_write_is_never_served(client, cluster, publish_root,
                                                             static_first):
    article = testing.make_article(cluster["news"], title="原文")
    rebuild_sites(acting_user=None)
    (publish_root / "localhost" / testing.published_file(article)).write_text("tampered!")
    response = client.get(rel(article), HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "tampered" not in response.content.decode() and "原文" in response.content.decode()
    assert "X-Govsites-Static" not in response


def test_a_same_size_edit_is_not_served_and_a_restored_file_is_served_again(
        client, cluster, publish_root, static_first):
    article = testing.make_article(cluster["news"], title="同长度篡改检测")
    rebuild_sites(acting_user=None)
    page = publish_root / "localhost" / testing.published_file(article)
    original = page.read_bytes()
    assert client.get(rel(article), HTTP_HOST="localhost")["X-Govsites-Static"] == "1"
    edited = original.replace("同长度篡改检测".encode(), "同長度竄改檢測".encode())
    assert len(edited) == len(original) and edited != original
    page.write_bytes(edited)
    response = client.get(rel(article), HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="identity")
    assert "X-Govsites-Static" not in response  # rendered by Django instead
    assert "同長度竄改檢測" not in response.content.decode()
    page.write_bytes(original)
    assert client.get(rel(article), HTTP_HOST="localhost")["X-Govsites-Static"] == "1"


def test_a_published_file_reached_through_a_planted_link_is_not_served(
        client, cluster, publish_root, static_first, tmp_path):
    article = testing.make_article(cluster["news"], title="链接")
    rebuild_sites(acting_user=None)
    folder = (publish_root / "localhost" / testing.published_file(article)).parent
    moved = tmp_path / "elsewhere"
    folder.rename(moved)
    folder.symlink_to(moved, target_is_directory=True)  # same bytes, but through a link
    response = client.get(rel(article), HTTP_HOST="localhost")
    assert response.status_code == 200 and "X-Govsites-Static" not in response


def test_unpublished_item_answers_410_and_moved_item_answers_301(client, cluster, publish,
                                                                 static_first):
    gone = publish(testing.make_article, cluster["news"], title="下线")
    moved = publish(testing.make_article, cluster["news"], title="迁移")
    old_address = rel(moved)
    publish(gone.unpublish)
    publish(moved.move, cluster["policies"], pos="last-child")
    response = client.get(rel(gone), HTTP_HOST="localhost")
    assert response.status_code == 410 and "网站标识码" in response.content.decode()
    assert client.get("/zh-hant" + rel(gone), HTTP_HOST="localhost").status_code == 410
    response = client.get(old_address, HTTP_HOST="localhost")
    assert response.status_code == 301 and response["Location"] == rel(moved)
    response = client.get("/zh-hant" + old_address, HTTP_HOST="localhost")
    assert response["Location"] == "/zh-hant" + rel(moved)
    assert client.get("/never-existed/", HTTP_HOST="localhost").status_code == 404


def test_hant_address_is_rendered_dynamically_the_same_as_the_published_file(
        client, cluster, publish_root, static_first):
    article = testing.make_article(cluster["news"], title="发展改革")
    dynamic = client.get("/zh-hant" + rel(article), HTTP_HOST="localhost")
    assert dynamic.status_code == 200 and "X-Govsites-Static" not in dynamic
    rebuild_sites(acting_user=None)
    static = client.get("/zh-hant" + rel(article), HTTP_HOST="localhost")
    assert static["X-Govsites-Static"] == "1"
    assert static.content == dynamic.content
    assert "發展改革" in static.content.decode()


def test_reading_mode_is_switchable_and_remembered(client, cluster, static_first):
    standard = client.get("/_govsites/mode.css")
    assert b".mode-off" in standard.content and "Cookie" in standard["Vary"]
    response = client.get("/_govsites/mode/care/?next=/zh-hant/", HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == "/zh-hant/"
    assert client.cookies["govsites_mode"].value == "care"
    care = client.get("/_govsites/mode.css").content.decode()
    assert "font-size: 125%" in care and "line-height: 1.8" in care
    evil = client.get("/_govsites/mode/standard/?next=https://evil.example/",
                      HTTP_HOST="localhost")
    assert evil["Location"] == "/"


def test_scheduled_publication_runs_in_the_worker_and_goes_live_statically(
        cluster, publish_root, django_capture_on_commit_callbacks):
    jobs = {job.name: job for job in periodic.jobs()}
    assert jobs["publishing.scheduled"].task is tasks.publish_scheduled
    assert "publishing.guard" in jobs
    article = testing.make_article(cluster["news"], title="定时发布的信息", publish=False)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    revision.save()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled.call()
    article.refresh_from_db()
    assert article.live
    page_file = publish_root / "localhost" / testing.published_file(article)
    assert "定时发布的信息" in page_file.read_text()
    assert PublishedFile.objects.filter(page_id=article.pk).exists()


def test_unknown_addresses_get_the_sites_chinese_404_page_from_django(client, cluster):
    response = client.get("/no-such-column/", HTTP_HOST="jyj.localhost")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "示例市教育局" in body and "Not Found" not in body


def test_error_pages_are_published_per_site_in_both_variants(cluster, publish_root):
    rebuild_sites(acting_user=None)
    for host, name in (("localhost", "示例市人民政府"), ("jyj.localhost", "示例市教育局")):
        for status, text, hant in ((404, "页面不存在", "頁面不存在"), (410, "该信息已下线", "該信息已下線"),
                                   (500, "网站暂时出现故障", "網站暫時出現故障"),
                                   (503, "网站正在维护", "網站正在維護")):
            page = (publish_root / host / f"{status}.html").read_text()
            assert text in page and name in page
            assert hant in (publish_root / host / "zh-hant" / f"{status}.html").read_text()
