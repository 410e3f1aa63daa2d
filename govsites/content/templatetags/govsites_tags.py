"""Template tags for public pages: meta tags, footer identity and date formats."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

from govsites.content import metadata

register = template.Library()


@register.inclusion_tag("content/includes/meta_tags.html")
def gov_meta_tags(page: Any, site_profile: Any) -> dict[str, Any]:
    """Render the mandatory 网页标签 for a page."""
    return {"tags": metadata.meta_tags(page, site_profile)}


@register.inclusion_tag("content/includes/footer.html", takes_context=True)
def site_footer(context: template.Context, site_profile: Any) -> dict[str, Any]:
    """Render the locked footer from the site registry (never from typed template text), with
    the 站群导航 and the 党政机关网站标识 (ID-15)."""
    error_url = ""
    if site_profile is not None:
        error_url = settings.GOVSITES_ERROR_REPORT_URL.format(site_code=site_profile.site_code)
    return {"p": site_profile, "error_report_url": error_url,
            "furniture": site_furniture(context, site_profile),
            "cluster": cluster_navigation(context, site_profile),
            "app_links": footer_app_links(context, site_profile)}


def footer_app_links(context: template.Context, site_profile: Any) -> list[tuple[str, str]]:
    """Entry points other apps register for the footer (content/footer_links.py)."""
    from govsites.content import footer_links

    if site_profile is None:
        return []
    return list(_cached(context, ("footer_links", site_profile.site_id),
                        lambda: footer_links.links_for(site_profile)))


def _cached(context: template.Context, key: Any, compute: Any) -> Any:
    cache = _render_cache(context)
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@register.simple_tag(takes_context=True)
def site_furniture(context: template.Context, site_profile: Any) -> Any:
    """The site's emblem, banner and 党政机关网站标识 (content.SiteFurniture), or None."""
    from govsites.content.models import SiteFurniture

    if site_profile is None:
        return None
    return _cached(context, ("furniture", site_profile.site_id), lambda: (
        SiteFurniture.objects.filter(site_id=site_profile.site_id)
        .select_related("emblem", "banner", "conac_mark").first()))


@register.simple_tag(takes_context=True)
def cluster_navigation(context: template.Context, site_profile: Any) -> Any:
    """站群导航: the portal and its department and county sites, for every site's pages."""
    from govsites.content.selectors import cluster_navigation as navigation

    if site_profile is None:
        return None
    return _cached(context, ("cluster_nav", site_profile.pk),
                   lambda: navigation(site_profile))


@register.filter
def pubdate(value: Any) -> str:
    """Format a datetime as YYYY-MM-DD HH:MM in Beijing time."""
    return metadata.format_pub_date(value)


@register.filter
def date_only(value: Any) -> str:
    """Format a datetime as YYYY-MM-DD in Beijing time."""
    return metadata.format_pub_date(value)[:10]


@register.simple_tag(takes_context=True)
def site_home_url(context: template.Context, site_profile: Any) -> str:
    """The home page of the site a page belongs to."""
    if site_profile is None:
        return "/"
    cache = _render_cache(context)
    key = ("home_url", site_profile.site_id)
    if cache is not None and key in cache:
        return str(cache[key])
    url = str(site_profile.site.root_page.url or "/")
    if cache is not None:
        cache[key] = url
    return url


HANT_PREFIX = "/zh-hant"
MODE_PATH = "/_govsites/mode/"


def _current_path(context: template.Context) -> str:
    request = context.get("request")
    if request is None:
        return "/"
    return str(request.get_full_path())


@register.inclusion_tag("content/includes/reading_toolbar.html", takes_context=True)
def reading_toolbar(context: template.Context) -> dict[str, Any]:
    """The 简/繁 switch and the 适老化/无障碍 mode switch shown on every page.

    Pages are rendered in 简体; the 繁体 page is made from it by the publisher, which turns
    the switch (between its marker comments) into a link back to the 简体 address.
    """
    from django.utils.http import urlencode

    here = _current_path(context)
    query = urlencode({"next": here})
    return {"hant_href": HANT_PREFIX + here, "hans_href": here,
            "care_href": f"{MODE_PATH}care/?{query}",
            "standard_href": f"{MODE_PATH}standard/?{query}"}


@register.inclusion_tag("content/includes/alternate_links.html", takes_context=True)
def alternate_links(context: template.Context) -> dict[str, Any]:
    """<link rel=alternate> for the 繁体 version and the feeds of the site and column."""
    here = _current_path(context)
    page = context.get("page")
    column_feed = None
    if page is not None and context.get("items_page") is not None:
        column_feed = page.get_url(context.get("request"))
    return {"hant_href": HANT_PREFIX + here, "hans_href": here, "column_feed": column_feed,
            "column_title": getattr(page, "title", "")}


def _render_cache(context: template.Context) -> dict[Any, Any] | None:
    """The publisher's per-run cache, present only while it renders many pages at once."""
    request = context.get("request")
    cache = getattr(request, "govsites_render_cache", None) if request is not None else None
    return cache if isinstance(cache, dict) else None


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context: template.Context, page: Any) -> list[Any]:
    """The page's ancestors (root first); computed once per parent while publishing."""
    cache = _render_cache(context)
    if cache is None:
        return list(page.get_ancestors())
    key = ("ancestors", page.path[:-page.steplen])
    if key not in cache:
        cache[key] = list(page.get_ancestors())
    return list(cache[key])


@register.simple_tag(takes_context=True)
def site_nav_columns(context: template.Context, site_profile: Any) -> list[Any]:
    """First-level live columns shown in the menu; computed once per site while publishing."""
    def compute() -> list[Any]:
        return list(site_profile.site.root_page.get_children().live().in_menu())

    cache = _render_cache(context)
    if cache is None:
        return compute()
    key = ("nav", site_profile.site_id)
    if key not in cache:
        cache[key] = compute()
    return list(cache[key])


@register.filter
def field_or_blank(obj: Any, name: str) -> Any:
    """Read a field a page type may not have (e.g. 有效性 on an article) without the template
    engine's slow failed-lookup path."""
    return getattr(obj, name, "")


@register.filter
def listing_date(item: Any) -> str:
    """发布日期 of an item in a list: the original's first publication (a reprint shows the
    date of the item it reprints), YYYY-MM-DD, read without loading the specific page."""
    original = item.alias_of if getattr(item, "alias_of_id", None) else item
    return metadata.format_pub_date(original.first_published_at)[:10]


@register.filter
def listing_datetime(item: Any) -> str:
    """The same date in ISO form for the <time datetime> attribute."""
    original = item.alias_of if getattr(item, "alias_of_id", None) else item
    value = original.first_published_at
    return timezone.localtime(value).isoformat() if value is not None else ""


class SiteChromeNode(template.Node):
    """`{% site_chrome "part" site_profile %}…{% endsite_chrome %}`: the enclosed chrome,
    rendered once per site and generation on pages the application serves (content/chrome.py);
    rendered as is while publishing (the publisher caches per run) or without a site."""

    def __init__(self, nodelist: template.NodeList, part: Any, profile: Any) -> None:
        self.nodelist = nodelist
        self.part = part
        self.profile = profile

    def render(self, context: template.Context) -> str:
        from govsites.content import chrome

        profile = self.profile.resolve(context)
        if (profile is None or context.get("request") is None
                or _render_cache(context) is not None):
            return str(self.nodelist.render(context))
        return chrome.cached(str(self.part.resolve(context)), profile.pk,
                             lambda: str(self.nodelist.render(context)))


@register.tag("site_chrome")
def do_site_chrome(parser: Any, token: Any) -> SiteChromeNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("site_chrome takes a part name and a site profile")
    nodelist = parser.parse(("endsite_chrome",))
    parser.delete_first_token()
    return SiteChromeNode(nodelist, parser.compile_filter(bits[1]),
                          parser.compile_filter(bits[2]))
