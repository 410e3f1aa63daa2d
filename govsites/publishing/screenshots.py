"""Screenshots of every public page type in both reading modes (`govsites screenshots`)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .pagetypes import MODES, PageSample

MIDDLEWARE_PATH = "govsites.publishing.middleware.StaticFirstMiddleware"


@contextmanager
def serving_settings() -> Iterator[None]:
    """Serve as `make run` does: static-first middleware first."""
    from django.conf import settings
    from django.test.utils import override_settings

    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE_PATH not in middleware:
        middleware.insert(1, MIDDLEWARE_PATH)
    with override_settings(MIDDLEWARE=middleware):
        yield


def set_mode(driver: Any, base: str, mode: str) -> None:
    """Switch the reading mode the way a reader does: through the switch link's address."""
    driver.get(f"{base}/_govsites/mode/{mode}/?next=/")


def take(driver: Any, base: str, samples: list[PageSample], out: Path) -> list[Path]:
    """Save one full-page PNG per sample and mode; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for mode in MODES:
        set_mode(driver, base, mode)
        for sample in samples:
            driver.get(base + sample.path)
            height = driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement"
                ".scrollHeight)")
            driver.set_window_size(1280, min(max(int(height), 900), 6000))
            path = out / f"{sample.name}-{mode}.png"
            driver.save_screenshot(str(path))
            driver.set_window_size(1280, 900)
            written.append(path)
    return written


def run(out: Path, base: str | None = None) -> tuple[list[Path], list[str]]:
    """Serve the site (unless base is given), open Chromium and take the screenshots."""
    from .liveserver import chromium_driver, live_app
    from .pagetypes import sample_pages

    samples, missing = sample_pages()
    with tempfile.TemporaryDirectory(prefix="govsites-chromium-") as profile:
        if base:
            with chromium_driver(Path(profile)) as driver:
                return take(driver, base.rstrip("/"), samples, out), missing
        with serving_settings(), live_app() as address, \
                chromium_driver(Path(profile)) as driver:
            return take(driver, f"http://{address}", samples, out), missing
