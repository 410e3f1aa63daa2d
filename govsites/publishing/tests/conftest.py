"""Fixtures for publishing tests: a private published tree per test and a tiny cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govsites import testing


@pytest.fixture(autouse=True)
def publish_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "published"
    settings.GOVSITES_PUBLISH_ROOT = str(root)
    settings.DATA_DIR = tmp_path
    return root


@pytest.fixture
def static_first(settings: Any) -> None:
    """Serve through the static-first middleware, as `make run` does."""
    middleware = list(settings.MIDDLEWARE)
    if "govsites.publishing.middleware.StaticFirstMiddleware" not in middleware:
        middleware.insert(1, "govsites.publishing.middleware.StaticFirstMiddleware")
    settings.MIDDLEWARE = middleware


@pytest.fixture
def publish(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a block and then the publish tasks its commits queued (as the worker would)."""

    class _Runner:
        def __call__(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return _Runner()


@pytest.fixture
def cluster(portal: Any, department_site: Any) -> dict[str, Any]:
    """A portal and a department site, each with a column; nothing published statically yet."""
    portal_home = portal.site.root_page.specific
    dept_home = department_site.site.root_page.specific
    return {
        "portal": portal,
        "dept": department_site,
        "news": testing.make_column(portal_home, title="工作动态", column_type="工作动态"),
        "policies": testing.make_column(portal_home, title="政策文件", column_type="政策文件"),
        "dept_news": testing.make_column(dept_home, title="部门动态", column_type="工作动态"),
    }
