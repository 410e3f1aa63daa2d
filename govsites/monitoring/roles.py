"""What a crawled page is (home, column, content) and which ColumnType it belongs to.

Our pages say it in the 网页标签 (ColumnType, ColumnName, ArticleTitle, PubDate); other sites are
read from the words of the title and breadcrumb, by the keyword list in the rule data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .pageparse import PageFacts, parse_date
from .rulebook import Rulebook

CONTENT_TAGS = ("ArticleTitle", "PubDate", "ContentSource")
COLUMN_TAGS = ("ColumnName", "ColumnType")
HOME_TYPE = "首页"
# The file a web server answers a directory with, and its paginated siblings (index_2.html):
# `/tzgg/index.html` is the column `/tzgg/`, not a page one level below it.
INDEX_FILE_RE = re.compile(r"^(?:index|default)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$",
                           re.IGNORECASE)


def keyword_type(text: str, rulebook: Rulebook) -> str:
    """Return the ColumnType a column name implies by keyword, or ""."""
    for word, column_type in rulebook.column_keywords:
        if word in text:
            return column_type
    return ""


def column_path(path: str) -> str:
    """A column's directory: the path without a trailing index file (`/tzgg/index.html` → `/tzgg/`)."""
    head, _, tail = path.rpartition("/")
    if INDEX_FILE_RE.match(tail):
        return head + "/"
    return path or "/"


def column_key(url: str) -> str:
    """The identity of a column across its paginated pages: its directory, without the query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{column_path(parts.path)}"


@dataclass
class PageRole:
    kind: str  # "home" | "column" | "content" | "other"
    column_type: str = ""
    column_name: str = ""
    pub_date: dt.date | None = None
    level: int = 0  # columns: 1 for a 一级栏目


@dataclass
class ColumnSummary:
    """What the site-level checks need about one column (all its paginated pages merged)."""

    key: str
    name: str
    column_type: str
    level: int
    url: str = ""  # the address the column was first seen at (reported in findings)
    newest_list_date: dt.date | None = None
    says_empty: bool = False
    main_link_urls: set[str] = field(default_factory=set)
    pages: int = 0
    layout: str = ""  # the template of its first page seen (pageparse.page_layout)


def classify(facts: PageFacts, *, is_start: bool, rulebook: Rulebook) -> PageRole:
    """Decide what a page is from its meta tags, falling back to its title and breadcrumb."""
    meta = facts.meta
    pub = parse_date(meta.get("PubDate", "")) if meta.get("PubDate") else None
    if any(tag in meta for tag in ("ArticleTitle", "PubDate")):
        column_type = meta.get("ColumnType", "")
        if not column_type and len(facts.breadcrumb) >= 2:
            column_type = keyword_type(facts.breadcrumb[-2], rulebook)
        return PageRole("content", column_type, meta.get("ColumnName", ""), pub)
    if is_start or meta.get("ColumnType") == HOME_TYPE:
        return PageRole("home", HOME_TYPE)
    level = _level(facts)
    if any(tag in meta for tag in COLUMN_TAGS):
        name = meta.get("ColumnName", "") or facts.title
        column_type = meta.get("ColumnType", "") or keyword_type(name, rulebook)
        return PageRole("column", column_type, name, level=level)
    name = facts.breadcrumb[-1] if facts.breadcrumb else facts.title
    column_type = keyword_type(name, rulebook)
    if column_type and (facts.list_dates or facts.says_empty):
        return PageRole("column", column_type, name, level=level)
    return PageRole("other")


def _level(facts: PageFacts) -> int:
    if facts.breadcrumb:
        return max(1, len(facts.breadcrumb) - 1)
    segments = [s for s in column_path(urlsplit(facts.url).path).split("/") if s]
    return max(1, len(segments))
