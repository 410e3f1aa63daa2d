"""Parse and check search parameters (page and API alike): bad input is a Chinese + English
message, never an exception that becomes a 500."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wagtail.models import Site

from govsites import rules

from . import engine, selectors

MAX_PAGE = 100
PAGE_SIZE_LIMIT = 50


class BadParameter(ValueError):
    """A parameter the search refuses, with its message in Chinese and English."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.field, self.zh, self.en = field, zh, en


@dataclass(frozen=True)
class SearchParams:
    q: str
    site: Site | None
    filters: engine.Filters
    sort: str
    page: int
    page_size: int


def _int(value: str, field: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise BadParameter(field, f"参数 {field} 须为整数。", f"{field} must be an integer.") from None
    if not low <= number <= high:
        raise BadParameter(field, f"参数 {field} 须在 {low} 到 {high} 之间。",
                           f"{field} must be between {low} and {high}.")
    return number


def max_query_length(site: Any = None) -> int:
    """The longest query a site accepts (rule parameter `search.query.max_length`; `site` is
    the SiteProfile answering the request, None for the cluster's value)."""
    return int(rules.value("search.query.max_length", site=site))


def parse(data: Any, *, default_site: Site | None = None, require_query: bool = True,
          rules_site: Any = None) -> SearchParams:
    """Read q, site, type, column, year, topic, validity, sort, page, page_size.

    `rules_site` is the SiteProfile answering the request, whose rule values (query length)
    apply; None applies the cluster's."""
    q = (data.get("q") or "").strip()
    if require_query and not q:
        raise BadParameter("q", "请输入搜索词（参数 q）。", "The query parameter q is required.")
    longest = max_query_length(rules_site)
    if len(q) > longest:
        raise BadParameter("q", f"搜索词不能超过 {longest} 个字。",
                           f"q must be at most {longest} characters.")
    site = default_site
    site_value = (data.get("site") or "").strip()
    if site_value == "all":
        site = None
    elif site_value:
        site = selectors.site_for_parameter(site_value)
        if site is None:
            raise BadParameter("site", "参数 site 不是本站群的网站域名或网站标识码。",
                               "site is not a domain or site code of this cluster.")
    sort = data.get("sort") or "relevance"
    if sort not in selectors.SORTS:
        raise BadParameter("sort", "参数 sort 只能是 relevance（相关度）或 date（日期）。",
                           "sort must be relevance or date.")
    item_type = data.get("type") or ""
    if item_type and item_type not in selectors.ITEM_TYPE_LABELS:
        raise BadParameter("type", "参数 type 不是已知的信息类型。", "type is not a known item type.")
    validity = data.get("validity") or ""
    if validity and validity not in selectors.VALIDITY_LABELS:
        raise BadParameter("validity", "参数 validity 不是已知的有效性。",
                           "validity is not a known validity.")
    year = data.get("year") or ""
    filters = engine.Filters(
        column_types=[data["column"]] if data.get("column") else [],
        item_types=[item_type] if item_type else [],
        years=[_int(year, "year", low=1949, high=2100)] if year else [],
        topics=[data["topic"]] if data.get("topic") else [],
        validities=[validity] if validity else [],
    )
    page = _int(data.get("page") or "1", "page", low=1, high=MAX_PAGE)
    page_size = _int(data.get("page_size") or str(selectors.PAGE_SIZE), "page_size", low=1,
                     high=PAGE_SIZE_LIMIT)
    return SearchParams(q, site, filters, sort, page, page_size)
