"""The visit log that `govsites nginx-config` makes nginx write is the one the import reads."""

from __future__ import annotations

import os

import httpx
import pytest

from govsites import testing as builders
from govsites.operations import ingest
from govsites.operations.models import DailyReferrer, DailySiteVisits
from govsites.publishing.liveserver import find_program
from govsites.publishing.nginx import NginxOptions, standalone_config
from govsites.publishing.services import rebuild_sites
from govsites.testing.tools import free_port, nginx_running, require

pytestmark = [pytest.mark.django_db, pytest.mark.optional_tool]


def test_pages_served_by_nginx_are_counted_from_its_log(portal, news_column, tmp_path,
                                                        settings):
    require(find_program("nginx", "/usr/sbin/nginx") is not None,
            "nginx is not installed (apt-get install nginx-light)")
    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    settings.DATA_DIR = tmp_path
    article = builders.make_article(news_column, title="经由nginx计数的文章")
    rebuild_sites(acting_user=None)
    log = tmp_path / "nginx" / "visits.log"
    port = free_port()
    conf = standalone_config(
        NginxOptions(upstream=f"127.0.0.1:{free_port()}", listen=f"127.0.0.1:{port}",
                     visits_log=str(log)),
        tmp_path / "nginx", workers="1", user="root" if os.geteuid() == 0 else None)
    with nginx_running(conf, tmp_path / "nginx", port):
        base = f"http://127.0.0.1:{port}"
        for path, referrer in ((builders.public_address(article), "https://www.baidu.com/s?wd=x"),
                               ("/", "")):
            headers = {"Host": "localhost", "User-Agent": "Mozilla/5.0 (iPhone) Mobile",
                       "Referer": referrer, "Cookie": "govsites_mode=care"}
            response = httpx.get(base + path, headers=headers, trust_env=False, timeout=10)
            assert response.status_code == 200
    assert "127.0.0.1" in log.read_text()  # nginx logs the address; the import drops it
    [result] = ingest.import_logs(paths=[log])
    assert result.lines == 2 and result.malformed == 0
    row = DailySiteVisits.objects.get(site=portal)
    assert (row.page_views, row.unique_visitors, row.care_views, row.mobile_views) == (2, 1, 2, 2)
    assert list(DailyReferrer.objects.values_list("host", flat=True)) == ["www.baidu.com"]


def test_nginx_redirects_a_migrated_sites_addresses_to_the_new_site(portal, department_site,
                                                                    tmp_path, settings):
    require(find_program("nginx", "/usr/sbin/nginx") is not None,
            "nginx is not installed (apt-get install nginx-light)")
    from govsites.accounts.roles import Role
    from govsites.operations.lifecycle import decide_site_change, request_site_change

    from .helpers import make_user

    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    settings.DATA_DIR = tmp_path
    change = request_site_change(site=department_site, action="migrate", justification="整合",
                                 acting_user=make_user(portal.host_organisation, Role.SITE_ADMIN),
                                 target=portal)
    decide_site_change(change=change, approve=True,
                       acting_user=make_user(portal.host_organisation, Role.SUPERVISOR))
    rebuild_sites(acting_user=None)
    port = free_port()
    conf = standalone_config(
        NginxOptions(upstream=f"127.0.0.1:{free_port()}", listen=f"127.0.0.1:{port}"),
        tmp_path / "nginx", workers="1", user="root" if os.geteuid() == 0 else None)
    with nginx_running(conf, tmp_path / "nginx", port):
        response = httpx.get(f"http://127.0.0.1:{port}/jyxw/2026/5.html?p=2",
                             headers={"Host": "jyj.localhost"}, trust_env=False, timeout=10,
                             follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"https://{portal.domain}/jyxw/2026/5.html?p=2"
