"""Screenshots (`govsites screenshots`, `make screenshots`): every public page type and the
sites' error pages in both reading modes, and every admin screen type (admin_screens.py)."""

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


def shoot(driver: Any, url: str, path: Path) -> Path:
    """Save one full-page PNG of an address."""
    driver.get(url)
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(1280, min(max(int(height), 900), 6000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def take(driver: Any, base: str, samples: list[PageSample], out: Path) -> list[Path]:
    """Save one full-page PNG per sample and mode; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for mode in MODES:
        set_mode(driver, base, mode)
        for sample in samples:
            written.append(shoot(driver, base + sample.path, out / f"{sample.name}-{mode}.png"))
    return written


def take_admin(driver: Any, base: str, out: Path) -> list[Path]:
    """Save the login page, then, as a platform administrator, every admin screen type."""
    from .admin_screens import (
        admin_session_key,
        linked_screens,
        menu_paths,
        page_type_edit_paths,
        screen_name,
    )

    out = out / "admin"
    out.mkdir(parents=True, exist_ok=True)
    written = [shoot(driver, f"{base}/admin/login/", out / "admin-login.png")]
    key = admin_session_key()
    if key is None:
        return written
    from django.conf import settings

    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": key, "path": "/"})
    written.append(shoot(driver, f"{base}/admin/", out / "admin.png"))
    seen_kinds: set[str] = set()
    screens: list[str] = []
    for path in menu_paths(driver.page_source):
        written.append(shoot(driver, base + path, out / f"{screen_name(path)}.png"))
        screens += linked_screens(driver.page_source, seen_kinds=seen_kinds)
    for path in screens:
        written.append(shoot(driver, base + path, out / f"{screen_name(path)}.png"))
    for model, path in page_type_edit_paths():
        written.append(shoot(driver, base + path, out / f"admin-page-edit-{model}.png"))
    return written


def run(out: Path, base: str | None = None) -> tuple[list[Path], list[str]]:
    """Serve the site (unless base is given), open Chromium and take the screenshots."""
    from .liveserver import chromium_driver, live_app
    from .pagetypes import sample_pages

    samples, missing = sample_pages()
    with tempfile.TemporaryDirectory(prefix="govsites-chromium-") as profile:
        if base:
            with chromium_driver(Path(profile)) as driver:
                base = base.rstrip("/")
                return take(driver, base, samples, out) + take_admin(driver, base, out), missing
        with serving_settings(), live_app() as address, \
                chromium_driver(Path(profile)) as driver:
            base = f"http://{address}"
            return take(driver, base, samples, out) + take_admin(driver, base, out), missing
