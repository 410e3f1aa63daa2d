"""统一身份认证 for citizen accounts (PA-15): an OIDC-style provider on loopback, the
development provider, and refusal of provider addresses outside the allowed networks."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from govsites.accounts import citizens, identity
from govsites.accounts.models import CitizenAccount

pytestmark = pytest.mark.django_db

PORTAL, DEPT = "localhost", "jyj.localhost"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def cluster(portal: Any, department_site: Any) -> dict[str, Any]:
    return {"portal": portal, "dept": department_site}


class FakeProvider(BaseHTTPRequestHandler):
    """Token and userinfo endpoints of a provincial platform, on 127.0.0.1."""

    calls: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, data: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        FakeProvider.calls.append("token")
        if form.get("code") == ["good-code"] and form.get("client_id") == ["govsites"]:
            self._json({"access_token": "at-1", "token_type": "Bearer"})
        else:
            self._json({"error": "invalid_grant"}, status=400)

    def do_GET(self) -> None:
        FakeProvider.calls.append("userinfo")
        if self.headers.get("Authorization") == "Bearer at-1":
            self._json({"sub": "440300199001011234", "name": "李四"})
        else:
            self._json({"error": "invalid_token"}, status=401)


@pytest.fixture
def provider_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeProvider.calls = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def oidc_settings(settings: Any, base: str, **extra: Any) -> None:
    settings.GOVSITES_CITIZEN_IDP = {
        "backend": "oidc", "name": "province", "label": "省统一身份认证",
        "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo", "client_id": "govsites",
        "client_secret": "s3cret", **extra}


def test_a_reader_logs_in_through_the_provincial_platform_and_gets_one_cluster_account(
        client, cluster, settings, provider_server):
    oidc_settings(settings, provider_server)
    start = client.get("/_govsites/account/idp/start/?next=/interact/", HTTP_HOST=PORTAL)
    sent = urlsplit(start["Location"])
    assert f"{sent.scheme}://{sent.netloc}" == provider_server and sent.path == "/authorize"
    query = parse_qs(sent.query)
    assert query["client_id"] == ["govsites"]
    assert query["redirect_uri"] == [f"http://{PORTAL}/_govsites/account/idp/callback/"]
    back = client.get(f"/_govsites/account/idp/callback/?code=good-code&state={query['state'][0]}",
                      HTTP_HOST=PORTAL)
    assert back.status_code == 302 and back["Location"] == "/interact/"
    assert FakeProvider.calls == ["token", "userinfo"]
    account = CitizenAccount.objects.get()
    assert account.display_name == "李四" and "440300" not in account.sealed_login
    assert citizens.current_citizen(back.wsgi_request) == account
    # the same person again: the same account, not a second one
    client.post("/_govsites/account/logout/", HTTP_HOST=PORTAL)
    start = client.get("/_govsites/account/idp/start/", HTTP_HOST=PORTAL)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    client.get(f"/_govsites/account/idp/callback/?code=good-code&state={state}", HTTP_HOST=PORTAL)
    assert CitizenAccount.objects.count() == 1


def test_a_callback_with_a_wrong_state_or_code_signs_no_one_in(
        client, cluster, settings, provider_server):
    oidc_settings(settings, provider_server)
    client.get("/_govsites/account/idp/start/", HTTP_HOST=PORTAL)
    forged = client.get("/_govsites/account/idp/callback/?code=good-code&state=forged",
                        HTTP_HOST=PORTAL)
    assert forged.status_code == 400 and "已失效" in forged.content.decode()
    start = client.get("/_govsites/account/idp/start/", HTTP_HOST=PORTAL)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    bad = client.get(f"/_govsites/account/idp/callback/?code=bad&state={state}", HTTP_HOST=PORTAL)
    assert bad.status_code == 400 and "没有正常应答" in bad.content.decode()
    assert not CitizenAccount.objects.exists()


def test_a_provider_outside_loopback_is_refused_before_connecting_unless_its_network_is_allowed(
        settings, monkeypatch):
    monkeypatch.setattr(identity.socket, "getaddrinfo",
                        lambda host, port: [(2, 1, 6, "", ("203.0.113.7", 0))])
    with pytest.raises(ValidationError, match="不在允许的网络范围内"):
        identity.check_address("https://idp.example.gov.cn/token", [])
    identity.check_address("https://idp.example.gov.cn/token", ["203.0.113.0/24"])
    oidc_settings(settings, "https://idp.example.gov.cn")
    opened: list[Any] = []
    monkeypatch.setattr(identity.urllib.request.OpenerDirector, "open",
                        lambda *a, **k: opened.append(a))
    with pytest.raises(ValidationError, match="不在允许的网络范围内"):
        identity.configured_provider().identity(code="c", redirect_uri="http://localhost/")
    assert opened == []  # nothing was sent


def test_the_development_provider_signs_in_by_name_and_never_in_production(client, cluster,
                                                                           settings):
    settings.GOVSITES_CITIZEN_IDP = {"backend": "development"}
    start = client.get("/_govsites/account/idp/start/?next=/", HTTP_HOST=PORTAL)
    page = client.get(start["Location"], HTTP_HOST=PORTAL)
    assert page.status_code == 200 and "开发用" in page.content.decode()
    answer = client.post(start["Location"], {"name": "王五"}, HTTP_HOST=PORTAL)
    callback = urlsplit(answer["Location"])
    done = client.get(f"{callback.path}?{callback.query}", HTTP_HOST=PORTAL)
    assert done.status_code == 302
    assert CitizenAccount.objects.get().display_name == "王五"
    settings.PRODUCTION = True
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        identity.configured_provider()


def test_without_a_configured_provider_the_pages_do_not_exist(client, cluster, settings):
    settings.GOVSITES_CITIZEN_IDP = None
    assert client.get("/_govsites/account/idp/start/", HTTP_HOST=PORTAL).status_code == 404
