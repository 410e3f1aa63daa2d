"""The loopback server the browser tests and `govsites screenshots` use."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished
from django.db import connection

from govsites.publishing.liveserver import live_app

pytestmark = pytest.mark.django_db


def test_a_served_file_is_closed_by_the_server_and_the_callers_transaction_stays_open() -> None:
    """Django hands a static file to the server's file wrapper with the response's close (and
    its request_finished signal) patched onto the file: a server that drops the wrapper
    without closing it leaves the file open in a reference cycle until a garbage collection
    in some other thread, at some later time, closes it."""
    finished: list[str] = []

    def seen(**kwargs: Any) -> None:
        finished.append(threading.current_thread().name)

    request_finished.connect(seen, weak=False)
    try:
        with live_app(share_connections=True) as address:
            answer = httpx.get(f"http://{address}/static/wagtailadmin/css/core.css", timeout=30)
            assert answer.status_code == 200 and answer.content
    finally:
        request_finished.disconnect(seen)
    assert finished and threading.current_thread().name not in finished
    assert connection.in_atomic_block and connection.is_usable()
