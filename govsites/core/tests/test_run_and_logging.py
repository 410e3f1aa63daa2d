"""`make run` serves loopback only under one host name, and logs one line per event."""

from __future__ import annotations

import logging
import re
import shlex
from pathlib import Path

from django.conf import settings

RUN_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "run.sh"
SERVE_SCRIPT = RUN_SCRIPT.with_name("serve.sh")


def test_make_run_binds_loopback_only_and_names_one_host_for_admin_and_sites():
    text = RUN_SCRIPT.read_text()
    (serve,) = [line for line in text.splitlines() if line.startswith("scripts/serve.sh")]
    assert shlex.split(serve) == ["scripts/serve.sh", "${PORT}"]
    (bind,) = [line for line in SERVE_SCRIPT.read_text().splitlines()
               if line.startswith("export GOVSITES_WEB_BIND=")]
    address = shlex.split(bind.removeprefix("export ").replace("${PORT}", "8000"))[0]
    assert address == "GOVSITES_WEB_BIND=127.0.0.1:8000", address
    hosts = set(re.findall(r"https?://([a-z.]*localhost|[\d.]+):", text))
    assert hosts and all(h.endswith("localhost") for h in hosts), hosts
    assert 'GOVSITES_ADMIN_BASE_URL="http://localhost:' in text


def _handler(name):
    config = dict(settings.LOGGING["handlers"][name])
    formatter = settings.LOGGING["formatters"][config["formatter"]]
    factory = formatter.get("()")
    if factory:
        from django.utils.module_loading import import_string

        fmt = import_string(factory)(formatter["format"], formatter.get("datefmt"))
    else:
        fmt = logging.Formatter(formatter["format"])
    return fmt


def test_a_failed_task_is_one_console_line_and_a_full_traceback_in_the_log_file():
    try:
        raise ValueError("渲染失败")
    except ValueError:
        import sys

        record = logging.LogRecord("govsites.tasks", logging.ERROR, __file__, 1,
                                   "任务失败：%s", ("publish_changes",), sys.exc_info())
    console = _handler("console").format(record)
    full = _handler("file").format(record)
    assert console.endswith("任务失败：publish_changes") and "\n" not in console
    assert "Traceback" in full and "渲染失败" in full
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["file"]


def test_links_to_the_admin_default_to_the_host_name_the_sites_use():
    import os
    from urllib.parse import urlsplit

    import pytest

    if os.environ.get("GOVSITES_ADMIN_BASE_URL"):
        pytest.skip("GOVSITES_ADMIN_BASE_URL is set: the operator chose the admin's address")
    assert urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname == "localhost"
