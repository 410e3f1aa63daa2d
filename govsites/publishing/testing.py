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


@contextmanager
def live_app() -> Iterator[str]:
    """Serve the Django application (current settings) on a loopback port in a thread."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    overrides = {c.alias: c for c in connections.all()
                 if c.vendor == "sqlite" and getattr(c, "is_in_memory_db", lambda: False)()}
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=overrides,
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
