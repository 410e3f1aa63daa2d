"""One representative address per public page type, for accessibility checks and screenshots."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Page, Site

from govsites.content.models import (
    ArticlePage,
    ColumnPage,
    ContentItem,
    InterpretationPage,
    LeaderPage,
    OrganisationFunctionsPage,
    PolicyDocumentPage,
    ServiceGuidePage,
)

from .errors import ERROR_PAGES
from .models import PublishedUrl, UrlState
from .paths import hant_path, site_dir

PAGE_TYPES = [
    ("home", "网站首页"),
    ("column", "栏目列表页"),
    ("column_page2", "栏目列表第2页"),
    ("article", "文章页"),
    ("withdrawn", "已撤稿文章页"),
    ("policy", "政策文件页"),
    ("interpretation", "政策解读页"),
    ("service_guide", "办事指南页"),
    ("organisation_functions", "机构职能页"),
    ("leader", "负责人信息页"),
    ("site_map", "网站地图"),
    ("gone", "已下线地址（410）"),
    ("hant_article", "繁体文章页"),
    ("hant_home", "繁体首页"),
    ("error_404", "错误页：页面不存在（404）"),
    ("error_500", "错误页：网站故障（500）"),
    ("error_503", "错误页：网站维护（503）"),
]
MODES = ("standard", "care")


@dataclass(frozen=True)
class PageSample:
    name: str
    label: str
    path: str
    status: int = 200


def _relative(site: Site, page: Page) -> str:
    from govsites.content.addresses import public_path

    return public_path(page, "/" + page.url_path[len(site.root_page.url_path):])


def sample_pages(site: Site | None = None) -> tuple[list[PageSample], list[str]]:
    """Return samples for the default site (or the one given) and the page types it lacks."""
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return [], [name for name, _label in PAGE_TYPES]
    home = site.root_page
    labels = dict(PAGE_TYPES)
    found: dict[str, PageSample] = {"home": PageSample("home", labels["home"], "/"),
                                    "site_map": PageSample("site_map", labels["site_map"],
                                                           "/site-map/")}

    def first(qs: object) -> Page | None:
        return qs.live().descendant_of(home).order_by("path").first()  # type: ignore[attr-defined]

    candidates = {
        "article": first(ArticlePage.objects.filter(withdrawn_at__isnull=True,
                                                    alias_of__isnull=True)),
        "withdrawn": first(ArticlePage.objects.filter(withdrawn_at__isnull=False)),
        "policy": first(PolicyDocumentPage.objects.filter(alias_of__isnull=True)),
        "interpretation": first(InterpretationPage.objects.filter(alias_of__isnull=True)),
        "service_guide": first(ServiceGuidePage.objects.filter(alias_of__isnull=True)),
        "organisation_functions": first(OrganisationFunctionsPage.objects.filter(
            alias_of__isnull=True)),
        "leader": first(LeaderPage.objects.filter(alias_of__isnull=True)),
    }
    for name, page in candidates.items():
        if page is not None:
            found[name] = PageSample(name, labels[name], _relative(site, page))
    columns = ColumnPage.objects.live().descendant_of(home).order_by("path")
    busiest = None
    for column in columns:
        count = ContentItem.objects.live().child_of(column).count()
        if busiest is None or count > busiest[1]:
            busiest = (column, count)
    if busiest is not None:
        path = _relative(site, busiest[0])
        found["column"] = PageSample("column", labels["column"], path)
        if busiest[1] >= 40:  # an older listing page exists (content/listing.py)
            found["column_page2"] = PageSample("column_page2", labels["column_page2"],
                                               path + "?page=1")
    gone = PublishedUrl.objects.filter(hostname=site.hostname, state=UrlState.GONE).first()
    if gone is not None:
        found["gone"] = PageSample("gone", labels["gone"], gone.path, 410)
    if "article" in found:
        found["hant_article"] = PageSample("hant_article", labels["hant_article"],
                                           hant_path(found["article"].path))
    found["hant_home"] = PageSample("hant_home", labels["hant_home"], hant_path("/"))
    # The error pages as nginx shows them: the files the publisher wrote in the site's tree.
    for status in (404, 500, 503):
        name, error_file = f"error_{status}", ERROR_PAGES[status].file
        if (site_dir(site.hostname) / error_file).is_file():
            found[name] = PageSample(name, labels[name], "/" + error_file)
    ordered = [found[name] for name, _label in PAGE_TYPES if name in found]
    missing = [name for name, _label in PAGE_TYPES if name not in found]
    return ordered, missing
