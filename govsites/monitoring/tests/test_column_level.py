"""A column's level comes from its directory, not from the index file that serves it (issue 9 #2).

Real sites link their columns by index file (`/tzgg/index.html`); the top-level-only freshness
rules (通知公告 / 政策文件 after 6 months) must fire for those columns as for `/tzgg/`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import Inspector
from govsites.monitoring.pageparse import parse_page
from govsites.monitoring.roles import classify
from govsites.monitoring.rulebook import load_rulebook

from .fakes import FakeHttpClient, FakeResponse

AS_OF = dt.date(2026, 6, 30)
INDEX_FILES = ["index.html", "index.htm", "default.html", "default.htm", "index.shtml",
               "index.jsp", "index.php"]


def _column_page(title: str, day: dt.date) -> str:
    return (f"<html><head><title>{title}</title></head><body><main><ul>"
            f"<li><a href='a1.html'>一则旧通知</a><span>{day.isoformat()}</span></li>"
            "</ul></main></body></html>")


@pytest.mark.parametrize("index_file", INDEX_FILES)
def test_a_column_served_by_its_index_file_is_a_first_level_column(index_file: str) -> None:
    facts = parse_page(_column_page("通知公告", dt.date(2025, 1, 2)),
                       f"http://127.0.0.1:9/tzgg/{index_file}")
    role = classify(facts, is_start=False, rulebook=load_rulebook(""))
    assert (role.kind, role.column_type, role.level) == ("column", "通知公告", 1)


def test_a_paginated_list_page_of_a_column_keeps_the_column_level() -> None:
    facts = parse_page(_column_page("通知公告", dt.date(2025, 1, 2)),
                       "http://127.0.0.1:9/tzgg/index_2.html")
    assert classify(facts, is_start=False, rulebook=load_rulebook("")).level == 1


def test_a_sub_column_served_by_its_index_file_is_second_level() -> None:
    facts = parse_page(_column_page("通知公告", dt.date(2025, 1, 2)),
                       "http://127.0.0.1:9/zwgk/tzgg/index.html")
    assert classify(facts, is_start=False, rulebook=load_rulebook("")).level == 2


def test_a_stale_notice_column_linked_by_its_index_file_is_reported() -> None:
    base = "http://127.0.0.1:9"
    home = ("<html><head><title>示例市人民政府</title></head><body><main><ul>"
            f"<li><a href='/tzgg/index.html'>通知公告</a><span>{AS_OF.isoformat()}</span></li>"
            "</ul></main></body></html>")
    client = FakeHttpClient({
        base + "/": FakeResponse(body=home),
        base + "/tzgg/index.html": FakeResponse(body=_column_page("通知公告", dt.date(2025, 10, 1))),
        base + "/tzgg/a1.html": FakeResponse(body="<html><head><title>一则旧通知</title></head></html>"),
    })
    inspector = Inspector(CrawlConfig(start_url=base + "/", delay=0.0, follow_sitemap=False,
                                      check_external=False),
                          rulebook=load_rulebook(""), as_of=AS_OF, client=client)
    result = asyncio.run(inspector.run())
    [stale] = result.findings_for("column.stale")
    assert stale.url == base + "/tzgg/index.html"
    assert stale.extra["limit_days"] == 183 and stale.extra["age_days"] == 272
