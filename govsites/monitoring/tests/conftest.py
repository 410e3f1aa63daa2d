"""Fixtures for the inspector tests: the fixture site served on 127.0.0.1 (random port)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .sitebuilder import build_site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the planted-defect site; yields base URL, port and the defect page map."""
    root = tmp_path_factory.mktemp("fixture_site")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    defects = build_site(Path(root), port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{port}", "port": port, "defects": defects,
               "root": root}
    finally:
        server.shutdown()
        server.server_close()
