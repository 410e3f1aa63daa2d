"""Approval-to-live does not grow with the cluster: a publication's queries neither multiply
with the size of its column nor read a big table in full (issue 9 item 11: p95 ≤ 1 s at
1,000,000 items, measured by bench/bench_publish.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govsites import testing
from govsites.content import services as content
from govsites.publishing.services import rebuild_sites
from govsites.testing.queryplans import scans_of_big_tables


def _publish_new_item(column: Any, title: str, capture: Any) -> tuple[int, int, list[str]]:
    """Publish a new article in a column: (queries of the approval, queries of the tasks it
    queued, full scans of big tables by either)."""
    item = testing.make_article(column, title=title, publish=False)
    with capture(execute=False) as callbacks, scans_of_big_tables() as approval_scans, \
            CaptureQueriesContext(connection) as approval:
        content.publish_item(item=item, acting_user=None)
    # The worker runs the tasks with case-sensitive LIKE (render.prefix_like_indexes).
    with scans_of_big_tables(case_sensitive_like=True) as task_scans, \
            CaptureQueriesContext(connection) as tasks:
        for callback in callbacks:
            callback()
    return (len(approval.captured_queries), len(tasks.captured_queries),
            approval_scans + task_scans)


def test_publishing_an_item_costs_the_same_queries_in_a_column_of_25_or_of_125_items(
        cluster: Any, publish_root: Any, django_capture_on_commit_callbacks: Any) -> None:
    small, big = cluster["news"], cluster["policies"]
    for n in range(25):
        testing.make_article(small, title=f"小栏目{n}")
    for n in range(125):
        testing.make_article(big, title=f"大栏目{n}")
    rebuild_sites(acting_user=None)
    _publish_new_item(small, "预热", django_capture_on_commit_callbacks)  # caches, templates
    in_small = _publish_new_item(small, "小栏目新闻", django_capture_on_commit_callbacks)
    in_big = _publish_new_item(big, "大栏目新闻", django_capture_on_commit_callbacks)
    assert in_big[:2] == in_small[:2]
    assert (publish_root / "localhost" / testing.published_file(
        big.get_children().live().order_by("-pk").first().specific)).is_file()


def test_publishing_an_item_reads_no_big_table_in_full(
        cluster: Any, django_capture_on_commit_callbacks: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the query plans are SQLite's")
    for n in range(30):
        testing.make_article(cluster["news"], title=f"动态{n}")
    rebuild_sites(acting_user=None)
    *_, scans = _publish_new_item(cluster["news"], "审批后立即发布", django_capture_on_commit_callbacks)
    assert scans == []
