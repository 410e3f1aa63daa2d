"""A lifecycle decision rewrites the nginx configuration and reloads nginx, once committed."""

from __future__ import annotations

import datetime as dt
import logging
import sys

import pytest
from django.utils import timezone

from govsites.accounts.roles import Role
from govsites.operations.lifecycle import decide_site_change, request_site_change
from govsites.operations.nginx_sync import NginxSync, regenerate_nginx_config

from .helpers import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def people(portal):
    org = portal.host_organisation
    return make_user(org, Role.SITE_ADMIN), make_user(org, Role.SUPERVISOR)


def _touch(path) -> list[str]:
    """A command that records it ran by creating `path`."""
    return [sys.executable, "-c", f"import pathlib; pathlib.Path({str(path)!r}).touch()"]


def _suspension(site, people):
    asker, _ = people
    return request_site_change(site=site, action="suspend", justification="机房搬迁",
                               acting_user=asker, notice="机房搬迁，暂停访问。",
                               starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=2))


def test_an_approved_suspension_rewrites_the_configuration_and_reloads_nginx(
        department_site, people, settings, tmp_path, django_capture_on_commit_callbacks):
    conf, reloaded = tmp_path / "nginx" / "govsites.conf", tmp_path / "reloaded"
    settings.GOVSITES_NGINX_CONFIG_FILE = str(conf)
    settings.GOVSITES_NGINX_CONFIG_ARGS = "--listen 8080 --visits-log ''"
    settings.GOVSITES_NGINX_TEST_COMMAND = ""
    settings.GOVSITES_NGINX_RELOAD_COMMAND = _touch(reloaded)
    change = _suspension(department_site, people)
    with django_capture_on_commit_callbacks(execute=True):
        decide_site_change(change=change, approve=True, acting_user=people[1])
    text = conf.read_text(encoding="utf-8")
    assert "listen 8080;" in text
    block = text[text.index("server_name jyj.localhost"):]
    block = block[:block.index("\n}\n")]
    assert "location / {" in block and "proxy_pass" in block and "root " not in block
    assert reloaded.exists()
    assert regenerate_nginx_config() == NginxSync.UNCHANGED


def test_a_refused_request_leaves_nginx_alone(department_site, people, settings, tmp_path,
                                              django_capture_on_commit_callbacks):
    conf = tmp_path / "govsites.conf"
    settings.GOVSITES_NGINX_CONFIG_FILE = str(conf)
    change = _suspension(department_site, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide_site_change(change=change, approve=False, acting_user=people[1], note="时机不当")
    assert callbacks == [] and not conf.exists()


def test_a_configuration_nginx_refuses_is_replaced_by_the_previous_one(
        department_site, people, settings, tmp_path, django_capture_on_commit_callbacks, caplog):
    conf, reloaded = tmp_path / "govsites.conf", tmp_path / "reloaded"
    conf.write_text("# the configuration nginx runs now\n", encoding="utf-8")
    settings.GOVSITES_NGINX_CONFIG_FILE = str(conf)
    settings.GOVSITES_NGINX_TEST_COMMAND = [sys.executable, "-c", "raise SystemExit(1)"]
    settings.GOVSITES_NGINX_RELOAD_COMMAND = _touch(reloaded)
    change = _suspension(department_site, people)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        decide_site_change(change=change, approve=True, acting_user=people[1])
    assert conf.read_text(encoding="utf-8") == "# the configuration nginx runs now\n"
    assert not reloaded.exists()
    assert "nginx 拒绝了重新生成的配置" in caplog.text


def test_without_a_configuration_file_a_decision_says_to_regenerate_by_hand(
        department_site, people, settings, django_capture_on_commit_callbacks, caplog):
    settings.GOVSITES_NGINX_CONFIG_FILE = ""
    change = _suspension(department_site, people)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        decide_site_change(change=change, approve=True, acting_user=people[1])
    assert "未设置 GOVSITES_NGINX_CONFIG_FILE" in caplog.text
    assert "govsites nginx-config" in caplog.text


def test_without_a_reload_command_the_file_is_written_and_the_log_says_reload_by_hand(
        department_site, settings, tmp_path, caplog):
    conf = tmp_path / "govsites.conf"
    settings.GOVSITES_NGINX_CONFIG_FILE = str(conf)
    settings.GOVSITES_NGINX_TEST_COMMAND = settings.GOVSITES_NGINX_RELOAD_COMMAND = ""
    with caplog.at_level(logging.WARNING):
        assert regenerate_nginx_config() == NginxSync.WRITTEN
    assert "server_name jyj.localhost" in conf.read_text(encoding="utf-8")
    assert "须手动重新加载 nginx" in caplog.text
