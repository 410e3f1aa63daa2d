"""Helpers for tests and benchmarks that need real tools: chromium, axe-core, nginx.

Without the tool a test is skipped with the reason, except under CI (env CI set), where the
missing tool fails the test: CI installs every tool, so a skip there would hide a gap.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require(condition: bool, reason: str) -> None:
    """Skip (or, under CI, fail) the calling test when a required tool is missing."""
    if condition:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def find_program(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


def _server_thread_class() -> Any:
    """A live-server thread that shares the test's database connections and never closes
    them, so the server sees the data of a test running inside a transaction (any database)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread, _MediaFilesHandler

    class SharedConnectionServer(ThreadedWSGIServer):
        def _close_connections(self) -> None:
            """The connections belong to the test; it closes them."""

    class SharedConnectionThread(LiveServerThread):
        server_class = SharedConnectionServer

        def run(self) -> None:
            for alias, conn in (self.connections_override or {}).items():
                connections[alias] = conn
            try:
                handler = self.static_handler(_MediaFilesHandler(WSGIHandler()))
                self.httpd = self._create_server(  # type: ignore[attr-defined]
                    connections_override=self.connections_override)
                if self.port == 0:
                    self.port = self.httpd.server_address[1]
                self.httpd.set_app(handler)
                self.is_ready.set()
                self.httpd.serve_forever()
            except Exception as exc:  # reported to the starting thread
                self.error = exc  # type: ignore[assignment]
                self.is_ready.set()

    return SharedConnectionThread


@contextmanager
def live_app(*, share_connections: bool = False) -> Iterator[str]:
    """Serve the Django application (current settings) on a loopback port in a thread.

    With share_connections the server uses the caller's database connections, so a test
    inside a transaction can be served without committing (and without a flush afterwards).
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    if share_connections:
        overrides = {c.alias: c for c in connections.all()}
        thread_class = _server_thread_class()
    else:
        overrides = {c.alias: c for c in connections.all()
                     if c.vendor == "sqlite" and getattr(c, "is_in_memory_db", lambda: False)()}
        thread_class = LiveServerThread
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    if share_connections:  # as Django's test client does: the test owns the connections
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread = thread_class("127.0.0.1", StaticFilesHandler, connections_override=overrides,
                          port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in overrides.values():
            conn.dec_thread_sharing()
        if share_connections:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@contextmanager
def nginx_running(config_text: str, prefix: Path, port: int) -> Iterator[subprocess.Popen[Any]]:
    """Run nginx in the foreground with a generated standalone configuration."""
    binary = find_program("nginx", "/usr/sbin/nginx")
    if binary is None:
        raise FileNotFoundError("nginx")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / sub).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(config_text, encoding="utf-8")
    check = subprocess.run([binary, "-t", "-q", "-p", str(prefix), "-c", str(conf)],
                           capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {check.stderr}")
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                            stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def chromium_paths() -> tuple[str | None, str | None]:
    return (find_program("chromium", "chromium-browser", "google-chrome"),
            find_program("chromedriver"))


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--window-size=1280,900", "--force-device-scale-factor=1", "--lang=zh-CN"]


@contextmanager
def chromium_driver(user_data_dir: Path) -> Iterator[Any]:
    """A headless Chromium driven by Debian's chromedriver, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chromium_paths()
    if browser is None or driver_path is None:
        raise FileNotFoundError("chromium/chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(driver: Any) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A/AA rules on the loaded page; return the violations."""
    driver.execute_script(AXE_PATH.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e),"
        " nodes: []}]));", AXE_TAGS)
    return list(result)
