"""nginx answers retired addresses and error pages by itself: the application is not even
running here (its upstream port is closed), so every answer below comes from nginx."""

from __future__ import annotations

import os

import httpx
import pytest

from govsites import testing as builders
from govsites.publishing.liveserver import find_program
from govsites.publishing.nginx import NginxOptions, retired_map_path, standalone_config
from govsites.publishing.services import rebuild_sites
from govsites.publishing.tasks import publish_changes
from govsites.testing.tools import free_port, nginx_running, require

pytestmark = [pytest.mark.django_db, pytest.mark.optional_tool]


def rel(page):
    return builders.public_address(page)


def get(base, path, **headers):
    return httpx.get(base + path, headers={"Host": "localhost", **headers}, timeout=10,
                     follow_redirects=False, trust_env=False)


@pytest.fixture
def nginx_alone(cluster, publish_root, tmp_path, settings):
    binary = find_program("nginx", "/usr/sbin/nginx")
    require(binary is not None, "nginx is not installed (apt-get install nginx-light)")
    settings.STATIC_ROOT = str(tmp_path / "static")
    moved = builders.make_article(cluster["news"], title="将被改址")
    gone = builders.make_article(cluster["news"], title="将被下线")
    later = builders.make_article(cluster["news"], title="稍后下线")
    rebuild_sites(acting_user=None)
    old = rel(moved)
    moved.move(cluster["policies"], pos="last-child")
    gone.unpublish()
    publish_changes.call(page_ids=[moved.pk, gone.pk])
    prefix = tmp_path / "nginx"
    port = free_port()
    conf = standalone_config(NginxOptions(upstream=f"127.0.0.1:{free_port()}",
                                          listen=f"127.0.0.1:{port}"), prefix, workers="1",
                             user="root" if os.geteuid() == 0 else None)
    settings.GOVSITES_NGINX_TEST_COMMAND = [binary, "-t", "-q", "-p", str(prefix), "-c",
                                            str(prefix / "nginx.conf")]
    settings.GOVSITES_NGINX_RELOAD_COMMAND = [binary, "-p", str(prefix), "-c",
                                              str(prefix / "nginx.conf"), "-s", "reload"]
    with nginx_running(conf, prefix, port):
        yield {"base": f"http://127.0.0.1:{port}", "old": old, "moved": moved, "gone": gone,
               "later": later}


def test_nginx_answers_301_and_410_from_the_map_without_the_application(nginx_alone):
    base, old, moved = nginx_alone["base"], nginx_alone["old"], nginx_alone["moved"]
    response = get(base, old)
    assert response.status_code == 301 and response.headers["location"] == rel(moved)
    response = get(base, "/zh-hant" + old + "?x=1")
    assert response.headers["location"] == "/zh-hant" + rel(moved) + "?x=1"
    gone = get(base, rel(nginx_alone["gone"]))
    assert gone.status_code == 410 and "该信息已下线" in gone.text and "示例市人民政府" in gone.text
    hant = get(base, "/zh-hant" + rel(nginx_alone["gone"]))
    assert hant.status_code == 410 and "該信息已下線" in hant.text


def test_nginx_shows_the_sites_chinese_error_pages(nginx_alone):
    base = nginx_alone["base"]
    down = get(base, "/no-such-page/")  # no file: the (stopped) application would answer
    # the application is unreachable: the site's maintenance page, in its furniture
    assert down.status_code == 503 and "网站正在维护" in down.text
    assert "示例市人民政府" in down.text
    assert "網站正在維護" in get(base, "/zh-hant/no-such-page/").text
    internal = get(base, "/404.html")
    assert internal.status_code == 404 and "页面不存在" in internal.text


def test_a_withdrawal_rewrites_the_map_and_reloads_nginx_safely(nginx_alone, settings):
    base, later = nginx_alone["base"], nginx_alone["later"]
    assert get(base, rel(later)).status_code == 200
    later.unpublish()
    publish_changes.call(page_ids=[later.pk])
    assert f'"localhost|{rel(later)}" "410";' in retired_map_path().read_text()
    from govsites.testing.processes import wait_until

    wait_until(lambda: get(base, rel(later)).status_code == 410, timeout=10,
               what="nginx to reload the map")
    # a map nginx refuses is not kept: the previous one is restored
    before = retired_map_path().read_text()
    settings.GOVSITES_NGINX_TEST_COMMAND = ["false"]
    other = builders.make_article(nginx_alone["moved"].get_parent(), title="再下线一条")
    other.unpublish()
    publish_changes.call(page_ids=[other.pk])
    assert retired_map_path().read_text() == before
