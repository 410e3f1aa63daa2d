"""Helpers for tests and benchmarks that need real tools (nginx, axe-core) or other processes.

Without the tool a test is skipped with the reason, except under CI (env CI set), where the
missing tool fails the test: CI installs every tool, so a skip there would hide a gap.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from govsites.publishing.liveserver import find_program

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


#: The test being run (set by the root conftest): `require()` checks that it is marked.
current_test: Any = None
REQUIRING_MARKERS = ("optional_tool", "browser")


def require(condition: bool, reason: str) -> None:
    """Skip (or, under CI, fail) the calling test when a required tool is missing.

    A test that calls it must be marked `optional_tool` (or `browser`): CI runs only the marked
    tests again on a machine without the optional packages, so an unmarked caller fails here.
    """
    import pytest

    if current_test is not None and not any(
            current_test.get_closest_marker(name) for name in REQUIRING_MARKERS):
        pytest.fail(f"{current_test.nodeid} calls require() but is not marked "
                    "@pytest.mark.optional_tool (CI's run without the optional tools selects "
                    "tests by that mark)")
    if condition:
        return

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


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
