"""What a check is given: one page with its role, or the whole crawled site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..crawler import LinkStatus, SiteScope
from ..pageparse import PageFacts
from ..roles import ColumnSummary, PageRole
from ..rulebook import Rulebook


@dataclass
class PageContext:
    facts: PageFacts
    role: PageRole
    scope: SiteScope
    rulebook: Rulebook
    as_of: dt.date
    screen: Any  # screen.PageScreen


@dataclass
class ContentPage:
    """A content page as remembered for the site-level checks."""

    url: str
    column_type: str
    column_name: str
    pub_date: dt.date | None
    title: str
    is_interpretation: bool = False
    is_policy: bool = False
    main_links: list[tuple[str, str]] = field(default_factory=list)
    layout: str = ""  # the template's skeleton (pageparse.page_layout)


@dataclass
class SiteContext:
    start_url: str
    start_result: Any  # httpclient.FetchResult of the home page
    home: PageFacts | None
    columns: dict[str, ColumnSummary]
    content_pages: dict[str, ContentPage]
    links: dict[str, LinkStatus]
    scope: SiteScope
    rulebook: Rulebook
    as_of: dt.date
    slow_pages: list[tuple[str, float]] = field(default_factory=list)  # (URL, seconds)
    stylesheets: dict[str, str] = field(default_factory=dict)  # the site's own CSS by URL
