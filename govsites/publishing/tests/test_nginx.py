"""The generated nginx configuration, run by a real nginx in front of the application."""

from __future__ import annotations

import gzip
import time

import httpx
import pytest

from govsites import testing as builders
from govsites.publishing.guard import verify
from govsites.publishing.liveserver import find_program, live_app
from govsites.publishing.nginx import NginxOptions, standalone_config
from govsites.publishing.services import rebuild_sites
from govsites.testing.tools import free_port, nginx_running, require

pytestmark = [pytest.mark.django_db, pytest.mark.optional_tool]


def rel(page):
    return builders.public_address(page)


@pytest.fixture
def nginx_site(cluster, publish_root, static_first, tmp_path, settings):
    require(find_program("nginx", "/usr/sbin/nginx") is not None,
            "nginx is not installed (apt-get install nginx-light)")
    for n in range(40):
        builders.make_article(cluster["news"], title=f"列表{n:02d}")
    article = builders.make_article(cluster["news"], title="经由nginx发布的文章")
    moved = builders.make_article(cluster["news"], title="将被改址")
    gone = builders.make_article(cluster["news"], title="将被下线")
    settings.STATIC_ROOT = str(tmp_path / "static")
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", "-v0")
    rebuild_sites(acting_user=None)
    old = rel(moved)
    moved.move(cluster["policies"], pos="last-child")
    gone.unpublish()
    from govsites.publishing.tasks import publish_changes

    publish_changes.call(page_ids=[moved.pk, gone.pk])
    port = free_port()
    with live_app(share_connections=True) as upstream:
        conf = standalone_config(NginxOptions(upstream=upstream, listen=f"127.0.0.1:{port}",
                                              hsts_max_age=31536000), tmp_path / "nginx",
                                 workers="1", user=worker_user())
        with nginx_running(conf, tmp_path / "nginx", port):
            yield {"base": f"http://127.0.0.1:{port}", "article": article, "old": old,
                   "moved": moved, "gone": gone, "root": publish_root / "localhost"}


def worker_user():
    import os

    return "root" if os.geteuid() == 0 else None


def get(base, path, **headers):
    return httpx.get(base + path, headers={"Host": "localhost", **headers}, timeout=10,
                     follow_redirects=False, trust_env=False)


def test_nginx_serves_published_pages_with_security_and_cache_headers(nginx_site):
    base, article = nginx_site["base"], nginx_site["article"]
    response = get(base, rel(article), **{"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert "经由nginx发布的文章" in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert response.headers["cache-control"] == "public, max-age=60"


def test_nginx_sends_the_precompressed_file_the_publisher_wrote(nginx_site):
    base, article, root = nginx_site["base"], nginx_site["article"], nginx_site["root"]
    with httpx.stream("GET", base + rel(article), trust_env=False,
                      headers={"Host": "localhost", "Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
    on_disk = (root / (builders.published_file(article) + ".gz")).read_bytes()
    assert raw == on_disk  # byte-identical: served from the file, not compressed per request
    assert gzip.decompress(raw).decode().count("经由nginx发布的文章") >= 1


def test_nginx_maps_page_numbers_hant_feeds_and_reading_mode(nginx_site):
    base = nginx_site["base"]
    column = rel(nginx_site["article"].get_parent())
    oldest = get(base, column + "?page=1").text
    assert "列表00" in oldest and "列表19" in oldest and "列表20" not in oldest
    assert '<html lang="zh-Hant">' in get(base, "/zh-hant" + column).text
    feed = get(base, "/rss.xml")
    assert feed.status_code == 200 and "<rss" in feed.text
    assert "Sitemap:" in get(base, "/robots.txt").text
    assert ".mode-off" in get(base, "/_govsites/mode.css").text
    care = get(base, "/_govsites/mode.css", Cookie="govsites_mode=care")
    assert "font-size: 125%" in care.text and care.headers["vary"] == "Cookie"


def test_nginx_hands_retired_addresses_to_the_app_for_301_and_410(nginx_site):
    base = nginx_site["base"]
    moved = get(base, nginx_site["old"])
    assert moved.status_code == 301 and moved.headers["location"] == rel(nginx_site["moved"])
    assert get(base, rel(nginx_site["gone"])).status_code == 410
    assert get(base, "/admin/login/").status_code == 200


def test_guard_compares_live_answers_with_the_manifest(nginx_site):
    assert verify(url=nginx_site["base"]).clean
    page = nginx_site["root"] / builders.published_file(nginx_site["article"])
    page.write_text(page.read_text().replace("经由nginx发布的文章", "被篡改的标题"))
    # nginx looks at a file it holds open again after open_file_cache_valid seconds; until
    # then a file altered in place may be answered broken (reported as http_unavailable).
    time.sleep(NginxOptions().open_file_cache_valid + 0.5)
    kinds = {i.kind for i in verify(url=nginx_site["base"]).incidents}
    assert kinds == {"modified", "http_modified"}


def test_nginx_refuses_to_follow_a_symlink_planted_in_the_tree(nginx_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("SECRET-OUTSIDE-THE-TREE")
    (outside / "passwd.html").write_text("SECRET-FILE")
    (nginx_site["root"] / "leak").symlink_to(outside, target_is_directory=True)
    (nginx_site["root"] / "passwd.html").symlink_to(outside / "passwd.html")
    for path in ("/leak/", "/leak/index.html", "/passwd.html"):
        response = get(nginx_site["base"], path)
        assert "SECRET" not in response.text and response.status_code != 200, path


def test_nginx_sends_the_applications_own_content_security_policy(nginx_site, settings):
    from django.utils.csp import build_policy

    response = get(nginx_site["base"], rel(nginx_site["article"]))
    assert response.headers["content-security-policy"] == build_policy(settings.SECURE_CSP)


def test_nginx_never_serves_document_files_straight_from_the_disk(nginx_site, settings):
    from pathlib import Path

    media = Path(settings.MEDIA_ROOT)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "draft-attachment.pdf").write_bytes(b"%PDF-1.4 unpublished")
    (media / "images").mkdir(parents=True, exist_ok=True)
    (media / "images" / "public.txt").write_bytes(b"public media")
    assert get(nginx_site["base"], "/media/documents/draft-attachment.pdf").status_code == 404
    assert get(nginx_site["base"], "/media/images/public.txt").text == "public media"


def test_nginx_serves_a_new_page_at_once_and_a_republished_page_within_its_file_cache_time(
        nginx_site, cluster):
    from govsites.publishing.tasks import publish_changes

    base, article = nginx_site["base"], nginx_site["article"]
    assert "经由nginx发布的文章" in get(base, rel(article)).text  # nginx now holds the file
    new = builders.make_article(cluster["news"], title="刚刚发布的新文章")
    assert get(base, rel(new)).status_code in (404, 200)  # asked before it is written
    article.title = "经由nginx改过的标题"
    article.save_revision().publish()
    publish_changes.call(page_ids=[article.pk, new.pk])
    assert "刚刚发布的新文章" in get(base, rel(new)).text  # a missing file is never remembered
    deadline = time.monotonic() + NginxOptions().open_file_cache_valid + 4
    while "经由nginx改过的标题" not in get(base, rel(article)).text:
        assert time.monotonic() < deadline, "nginx kept serving the replaced file"
        time.sleep(0.2)
