"""Fixtures: a portal and a department site with items whose words test the analyser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from govsites import testing


@pytest.fixture(autouse=True)
def publish_root(settings: Any, tmp_path: Path) -> Path:
    """A private published tree per test (the publish task writes static files)."""
    root = tmp_path / "published"
    settings.GOVSITES_PUBLISH_ROOT = str(root)
    settings.DATA_DIR = tmp_path
    return root


@pytest.fixture
def publish(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a block and then the publish tasks its commits queued (as the worker would)."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def library(portal_home: Any, news_column: Any, policy_column: Any,
            department_site: Any, publish: Any) -> dict[str, Any]:
    """Items on two sites, published through the ordinary path (which indexes them)."""
    return publish(_build_library, news_column, policy_column, department_site)


def _build_library(news_column: Any, policy_column: Any, department_site: Any) -> dict[str, Any]:
    dept_home = department_site.site.root_page.specific
    dept_news = testing.make_column(dept_home, title="教育动态", column_type="工作动态")
    items = {
        "open": testing.make_article(
            news_column, title="关于政务公开工作的通知",
            body="<p>各单位要做好政务公开和信息发布工作。</p>"),
        "housing": testing.make_article(
            news_column, title="公租房申请指南",
            body="<p>符合条件的家庭可以申请公共租赁住房，提交身份证明和收入证明。</p>"),
        "policy": testing.make_policy(
            policy_column, title="梅州市人民政府办公室关于印发数据开放管理办法的通知",
            document_number="梅市府办函〔2021〕236号"),
        "school": testing.make_article(
            dept_news, title="全市中小学开学工作部署会召开",
            body="<p>会议部署秋季学期开学工作，要求做好校园安全。</p>"),
    }
    return items


def years_ago(years: int) -> dt.datetime:
    return dt.datetime(2026 - years, 6, 1, tzinfo=dt.UTC)
