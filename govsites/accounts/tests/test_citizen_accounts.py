"""Citizen accounts (PA-15): registration, one login for every site of the cluster through
the portal's one-time tickets, and citizens kept apart from staff."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.test import Client

from govsites.accounts import citizens
from govsites.accounts.models import CitizenAccount
from govsites.accounts.tests.conftest import PASSWORD, make_user
from govsites.core import crypto
from govsites.core.models import AuditRecord

pytestmark = pytest.mark.django_db

PORTAL, DEPT = "localhost", "jyj.localhost"
CITIZEN_PASSWORD = "Hq8#river-Mo"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def cluster(portal: Any, department_site: Any) -> dict[str, Any]:
    return {"portal": portal, "dept": department_site}


def register(client: Client, login: str = "Citizen@Example.com", **extra: Any) -> Any:
    data = {"login": login, "password": CITIZEN_PASSWORD, "display_name": "张三", **extra}
    return client.post("/_govsites/account/register/", data, HTTP_HOST=PORTAL)


def test_registering_creates_a_sealed_account_logs_in_and_is_audited(client, cluster):
    response = register(client)
    assert response.status_code == 302
    account = CitizenAccount.objects.get()
    assert "citizen" not in account.sealed_login.lower()
    assert crypto.open_sealed(account.sealed_login) == "citizen@example.com"
    assert CITIZEN_PASSWORD not in account.password  # a hash, checked by Django's hashers
    assert check_password(CITIZEN_PASSWORD, account.password)
    assert AuditRecord.objects.filter(action="accounts.citizen.register").count() == 1
    me = client.get("/_govsites/account/me/", HTTP_HOST=PORTAL)
    assert me.status_code == 200 and "张三" in me.content.decode()


def test_a_login_already_registered_or_a_weak_password_is_refused_in_chinese(client, cluster):
    register(client)
    again = register(Client(), login="citizen@EXAMPLE.com")
    assert again.status_code == 400 and "已注册" in again.content.decode()
    weak = register(Client(), login="13912345678", password="12345678")
    assert weak.status_code == 400
    bad = register(Client(), login="不是账号")
    assert bad.status_code == 400 and "请填写有效的电子邮箱或11位手机号码" in bad.content.decode()
    assert CitizenAccount.objects.count() == 1


def test_wrong_password_and_unknown_login_get_the_same_answer(client, cluster):
    register(Client())
    wrong = client.post("/_govsites/account/login/", {"login": "citizen@example.com",
                                                      "password": "wrong-Pass1!"},
                        HTTP_HOST=PORTAL)
    unknown = client.post("/_govsites/account/login/", {"login": "nobody@example.com",
                                                        "password": "wrong-Pass1!"},
                          HTTP_HOST=PORTAL)
    assert wrong.status_code == unknown.status_code == 400
    assert "账号或密码不正确" in wrong.content.decode() and "账号或密码不正确" in unknown.content.decode()
    assert citizens.current_citizen(wrong.wsgi_request) is None


def test_one_login_on_the_portal_logs_the_reader_in_on_a_department_site(client, cluster):
    register(Client())
    # The department site sends the reader to the portal and asks to come back.
    start = client.get("/_govsites/account/login/?next=/interact/", HTTP_HOST=DEPT)
    assert start.status_code == 302
    portal_login = urlsplit(start["Location"])
    assert portal_login.hostname == PORTAL
    back = parse_qs(portal_login.query)["next"][0]
    assert back == f"http://{DEPT}/interact/"
    done = client.post("/_govsites/account/login/", {
        "login": "citizen@example.com", "password": CITIZEN_PASSWORD, "next": back},
        HTTP_HOST=PORTAL)
    handoff = urlsplit(done["Location"])
    assert handoff.hostname == DEPT and handoff.path == "/_govsites/account/sso/"
    landed = client.get(f"{handoff.path}?{handoff.query}", HTTP_HOST=DEPT)
    assert landed.status_code == 302 and landed["Location"] == "/interact/"
    assert "张三" in client.get("/_govsites/account/me/", HTTP_HOST=DEPT).content.decode()

    # Already logged in on the portal: the next site's login passes straight through.
    again = client.get(f"/_govsites/account/login/?next={back}", HTTP_HOST=PORTAL)
    assert urlsplit(again["Location"]).path == "/_govsites/account/sso/"


def test_a_ticket_works_once_only_on_its_own_site_and_not_after_two_minutes(
        client, cluster, monkeypatch):
    register(Client())
    account = CitizenAccount.objects.get()
    ticket = citizens.handoff_ticket(account, DEPT)
    wrong_site = client.get(f"/_govsites/account/sso/?ticket={ticket}", HTTP_HOST=PORTAL)
    assert wrong_site.status_code == 400 and "不属于本网站" in wrong_site.content.decode()
    assert client.get(f"/_govsites/account/sso/?ticket={ticket}", HTTP_HOST=DEPT).status_code == 302
    replay = Client().get(f"/_govsites/account/sso/?ticket={ticket}", HTTP_HOST=DEPT)
    assert replay.status_code == 400 and "已使用" in replay.content.decode()
    import time

    from django.core import signing

    old = citizens.handoff_ticket(account, DEPT)
    later = time.time() + citizens.TICKET_MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = Client().get(f"/_govsites/account/sso/?ticket={old}", HTTP_HOST=DEPT)
    assert expired.status_code == 400 and "已过期" in expired.content.decode()


def test_login_never_sends_a_reader_to_a_host_outside_the_cluster(client, cluster):
    register(client)
    response = client.get("/_govsites/account/login/?next=https://evil.example.com/x",
                          HTTP_HOST=PORTAL)
    assert response.status_code == 302 and response["Location"] == "/"
    sso = client.get("/_govsites/account/sso/?ticket=x&next=//evil.example.com/",
                     HTTP_HOST=DEPT)
    assert sso.status_code == 400


def test_citizens_and_staff_are_separate_accounts(client, cluster, host_org):
    make_user(host_org, username="liming", password=PASSWORD)
    register(client, login="liming@example.com")
    # a citizen's session is no staff login ...
    assert client.get("/admin/", HTTP_HOST=PORTAL).status_code == 302
    # ... a citizen's credentials do not open the admin, nor staff ones the public account
    staff = Client()
    staff.post("/admin/login/", {"username": "liming@example.com",
                                 "password": CITIZEN_PASSWORD}, HTTP_HOST=PORTAL)
    assert staff.get("/admin/", HTTP_HOST=PORTAL).status_code == 302
    as_citizen = Client().post("/_govsites/account/login/", {"login": "liming",
                                                             "password": PASSWORD},
                               HTTP_HOST=PORTAL)
    assert as_citizen.status_code == 400
    assert citizens.SESSION_KEY != "_auth_user_id"


def test_logout_ends_the_citizen_session(client, cluster):
    register(client)
    client.post("/_govsites/account/logout/", HTTP_HOST=PORTAL)
    me = client.get("/_govsites/account/me/", HTTP_HOST=PORTAL)
    assert me.status_code == 302 and "/_govsites/account/login/" in me["Location"]


def test_login_attempts_over_the_per_minute_limit_are_refused(client, cluster):
    limit = citizens.login_attempts_per_minute()
    codes = [client.post("/_govsites/account/login/", {"login": "a@example.com",
                                                       "password": "x"},
                         HTTP_HOST=PORTAL, REMOTE_ADDR="10.7.7.7").status_code
             for _ in range(limit + 1)]
    assert codes[-1] == 429 and 429 not in codes[:limit]


def _logged_in_on_both_sites(client: Client) -> None:
    register(client)
    account = CitizenAccount.objects.get()
    ticket = citizens.handoff_ticket(account, DEPT)
    assert client.get(f"/_govsites/account/sso/?ticket={ticket}", HTTP_HOST=DEPT).status_code == 302
    assert client.get("/_govsites/account/me/", HTTP_HOST=DEPT).status_code == 200
    assert client.get("/_govsites/account/me/", HTTP_HOST=PORTAL).status_code == 200


def test_logging_out_on_one_site_logs_the_citizen_out_on_every_site_of_the_cluster(
        client, cluster):
    _logged_in_on_both_sites(client)
    account = CitizenAccount.objects.get()
    unused = citizens.handoff_ticket(account, DEPT)
    client.post("/_govsites/account/logout/", HTTP_HOST=DEPT)
    for host in (DEPT, PORTAL):
        me = client.get("/_govsites/account/me/", HTTP_HOST=host)
        assert me.status_code == 302 and "/_govsites/account/login/" in me["Location"]
    # a ticket handed out before the logout no longer logs anyone in
    stale = Client().get(f"/_govsites/account/sso/?ticket={unused}", HTTP_HOST=DEPT)
    assert stale.status_code == 400 and "已退出登录" in stale.content.decode()
    assert AuditRecord.objects.filter(action="accounts.citizen.logout").count() == 1
    # and logging in again works everywhere as before
    client.post("/_govsites/account/login/", {"login": "citizen@example.com",
                                              "password": CITIZEN_PASSWORD}, HTTP_HOST=PORTAL)
    assert client.get("/_govsites/account/me/", HTTP_HOST=PORTAL).status_code == 200


def test_a_logged_in_citizen_prefills_name_and_login_and_nobody_else_does(client, cluster):
    register(client, login="13912345678")
    request = client.get("/_govsites/account/me/", HTTP_HOST=PORTAL).wsgi_request
    assert citizens.prefill(request) == {"name": "张三", "mobile": "13912345678",
                                         "contact": "13912345678"}
    anonymous = Client().get("/_govsites/account/me/", HTTP_HOST=PORTAL).wsgi_request
    assert citizens.prefill(anonymous) == {}
