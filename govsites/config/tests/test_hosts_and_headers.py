"""Which hosts are answered, which proxy headers count, and the headers every page carries.

These run with the shipped middleware and settings (the test settings add only the test
client's host name, `testserver`, as Django itself does).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from wagtail.models import Site

from govsites import testing
from govsites.config import hosts
from govsites.core.clientaddr import client_address

pytestmark = pytest.mark.django_db


def test_an_unknown_host_is_refused_not_served_the_portal(portal: Any, client: Client) -> None:
    assert client.get("/", headers={"host": "localhost"}).status_code == 200
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert "示例市人民政府" not in response.content.decode()


def test_a_site_added_to_the_registry_is_answered_at_once(portal: Any, client: Client) -> None:
    assert client.get("/", headers={"host": "new.localtest.example"}).status_code == 400
    org = testing.make_organisation("示例市新建局", kind="department",
                                    parent=portal.host_organisation)
    testing.make_site(name="示例市新建局", kind="department", organisation=org,
                      domain="xjj.shili.gov.cn", hostname="new.localtest.example",
                      portal=portal, is_default=False)
    assert client.get("/", headers={"host": "new.localtest.example"}).status_code == 200
    # The registry's own domain of the site is answered too (nginx routes it here).
    assert hosts.host_allowed("xjj.shili.gov.cn")


def test_a_site_removed_from_the_registry_is_no_longer_answered(portal: Any,
                                                                client: Client) -> None:
    site = Site.objects.get(pk=portal.site.pk)
    site.hostname = "renamed.localtest.example"
    site.save()
    assert hosts.host_allowed("renamed.localtest.example")
    site.hostname = "other.localtest.example"
    site.save()
    assert not hosts.host_allowed("renamed.localtest.example")


def test_the_registry_cache_is_dropped_on_change_in_a_process_that_served_no_request() -> None:
    # A fresh process (a command, a worker) that changes the registry before, or without, any
    # request must still drop the cached names; the suite's other tests cannot show this,
    # because their first request has long built the middleware.
    import os
    import subprocess
    import sys

    code = ("import django; django.setup()\n"
            "from django.db.models.signals import post_delete, post_save\n"
            "uids = {key[0][0] for signal in (post_save, post_delete) for key in signal.receivers}\n"
            "print(sorted(u for u in uids if isinstance(u, str) and u.startswith('config.hosts')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govsites.config.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    for uid in ("config.hosts.Site.save", "config.hosts.Site.delete",
                "config.hosts.SiteProfile.save", "config.hosts.SiteProfile.delete"):
        assert uid in out, out


def test_the_admin_answers_only_under_admin_not_under_the_traditional_prefix(
        portal: Any, client: Client) -> None:
    assert client.get("/admin/login/").status_code == 200
    for path in ("/zh-hant/admin/", "/zh-hant/admin/login/", "/zh-hant/admin/pages/"):
        assert client.get(path).status_code == 404, path


def _meta_request(remote: str, **headers: str) -> Any:
    from django.test import RequestFactory

    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_the_client_address_comes_from_proxy_headers_only_from_a_trusted_proxy(
        settings: Any) -> None:
    assert settings.GOVSITES_TRUSTED_PROXIES == ["127.0.0.1/32", "::1/128"]
    spoofed = _meta_request("203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9",
                            HTTP_X_REAL_IP="10.9.9.9")
    assert client_address(spoofed) == "203.0.113.9"
    # nginx appends the address it saw; what the client wrote further left proves nothing.
    proxied = _meta_request("127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7",
                            HTTP_X_REAL_IP="198.51.100.7")
    assert client_address(proxied) == "198.51.100.7"
    assert client_address(_meta_request("127.0.0.1", HTTP_X_REAL_IP="198.51.100.8")) == \
        "198.51.100.8"
    settings.GOVSITES_TRUSTED_PROXIES = ["192.0.2.0/24"]
    assert client_address(_meta_request("192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.7")) == \
        "198.51.100.7"
    assert client_address(_meta_request("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")) == \
        "127.0.0.1"


def test_proxy_headers_from_an_untrusted_address_are_dropped_before_any_view(
        portal: Any, client: Client) -> None:
    response = client.get("/admin/login/", REMOTE_ADDR="203.0.113.9",
                          HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="10.0.0.1")
    request = response.wsgi_request
    assert "HTTP_X_FORWARDED_PROTO" not in request.META
    assert "HTTP_X_FORWARDED_FOR" not in request.META


def test_admin_pages_carry_the_admin_policy_and_public_pages_the_strict_one(
        portal: Any, client: Client) -> None:
    admin = client.get("/admin/login/")
    public = client.get("/")
    for response in (admin, public):
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        assert "object-src 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"]
    assert "script-src 'self';" in public["Content-Security-Policy"]
    assert "unsafe-inline" not in public["Content-Security-Policy"]


def test_an_item_preview_in_the_admin_runs_under_the_strict_policy(
        superuser_client: Client, news_column: Any) -> None:
    item = testing.make_article(news_column, title="预览文章")
    response = superuser_client.get(f"/admin/pages/{item.pk}/view_draft/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_without_debug_the_embedded_mode_still_serves_static_assets_and_media(
        settings: Any, client: Client, portal: Any) -> None:
    from pathlib import Path

    assert settings.DEBUG is False
    assert client.get("/static/wagtailadmin/css/core.css").status_code == 200
    media = Path(settings.MEDIA_ROOT)
    for sub, name, data in (("images", "served.png", b"\x89PNG\r\n"),
                            ("documents", "draft.pdf", b"%PDF-1.4")):
        (media / sub).mkdir(parents=True, exist_ok=True)
        (media / sub / name).write_bytes(data)
    try:
        assert client.get("/media/images/served.png").status_code == 200
        # Never as raw media: Wagtail's /documents/ view checks who may see a document.
        assert client.get("/media/documents/draft.pdf").status_code == 404
    finally:
        (media / "images" / "served.png").unlink()
        (media / "documents" / "draft.pdf").unlink()
