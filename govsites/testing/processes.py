"""Helpers for process-level tests: run `python -m govsites …` against the test database,
find a process's children, and wait for conditions with a deadline (a failure, not a speed
measurement)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def ensure_page_tree() -> None:
    """Make sure the default locale, Wagtail's root page and root collection exist: a
    transactional test may start on a database that an earlier transactional test flushed (the
    data migrations that created them do not run again)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", url_path="/"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def settings_env(tmp_path: Path, **extra: Any) -> dict[str, str]:
    """Environment for a child `govsites` process that uses this test's database (which the
    test must have committed: django_db(transaction=True)) and the given settings."""
    from django.conf import settings
    from django.db import connection

    db = {k: connection.settings_dict[k] for k in
          ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
    lines = ["from govsites.config.settings.test import *  # noqa: F403",
             f"DATABASES = {{'default': {db!r}}}",
             "TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}",
             f"GOVSITES_PUBLISH_ROOT = {str(getattr(settings, 'GOVSITES_PUBLISH_ROOT', ''))!r}",
             f"DATA_DIR = {str(settings.DATA_DIR)!r}"]
    lines += [f"{key} = {value!r}" for key, value in extra.items()]
    folder = tmp_path / "child_settings"
    folder.mkdir(exist_ok=True)
    (folder / "child_settings.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dict(os.environ, DJANGO_SETTINGS_MODULE="child_settings",
                PYTHONPATH=os.pathsep.join([str(folder), str(REPO_ROOT)]),
                GOVSITES_DATA_DIR=str(settings.DATA_DIR))


@contextlib.contextmanager
def govsites(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run `python -m govsites ARGS` in its own process group; afterwards kill the group
    (everything it started, even children that outlived it)."""
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "govsites", *args], cwd=REPO_ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def children(pid: int) -> list[int]:
    """Direct children of a process (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    for child in children(pid):
        out += [child, *descendants(child)]
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str,
               every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(every)
