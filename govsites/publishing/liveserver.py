"""Serving the application on a loopback port and driving headless Chromium: what
`govsites screenshots` needs (the tests and benchmarks use it too)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def find_program(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None



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
                handler = _one_at_a_time(self.static_handler(_MediaFilesHandler(WSGIHandler())))
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


def _one_at_a_time(app: Any) -> Any:
    """Serve one request at a time: the threads of a threaded server share the caller's
    connections, and a browser's parallel requests on one SQLite connection corrupt it."""
    lock = threading.Lock()

    def locked(environ: Any, start_response: Any) -> Any:
        with lock:
            result = app(environ, start_response)
            try:
                return list(result)
            finally:  # as a WSGI server must: a file's response closes its file here
                close = getattr(result, "close", None)
                if close is not None:
                    close()

    return locked


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
