"""The public search pages: /search/ on every site (that site, or the cluster with site=all),
the same under /zh-hant/ in 繁体, and the result-click counter."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Site

from . import params, selectors, services
from .models import SearchDocument

FACET_LABELS = {"site": "网站", "item_type": "信息类型", "column_type": "栏目类别", "year": "年份",
                "topic": "主题分类", "validity": "有效性"}


def _facet_rows(page: selectors.SearchPage, sites: dict[str, tuple[str, str]]
                ) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name, label in FACET_LABELS.items():
        values = page.facets.get(name, {})
        if not values:
            continue
        options: list[dict[str, Any]] = []
        for value, count in sorted(values.items(), key=lambda vc: (-vc[1], vc[0]))[:20]:
            shown = value
            if name == "site":
                shown, value = sites.get(value, (value, value))
            elif name == "item_type":
                shown = str(selectors.ITEM_TYPE_LABELS.get(value, value))
            elif name == "validity":
                shown = str(selectors.VALIDITY_LABELS.get(value, value))
            options.append({"value": value, "label": shown, "count": count})
        rows.append({"name": "type" if name == "item_type" else
                     "column" if name == "column_type" else name, "label": label,
                     "options": options})
    return rows


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Render results for q on this site (or the cluster), with facets, sort and paging.

    Under /zh-hant/search/ publishing's static-first middleware renders this page and converts
    it to 繁体, as it does for every dynamic page.
    """
    from govsites.sites.selectors import all_sites, profile_for_request

    here = Site.find_for_request(request)
    profile = profile_for_request(request)
    error = ""
    page = None
    try:
        p = params.parse(request.GET, default_site=here, require_query=False, rules_site=profile)
    except params.BadParameter as exc:
        error, p = exc.zh, None
    if p is not None and p.q:
        page = selectors.search(p.q, site=p.site, filters=p.filters, sort=p.sort, page=p.page,
                                page_size=p.page_size, absolute_urls=p.site != here)
        services.record_search(site_id=p.site.pk if p.site else None, query=p.q,
                               total=page.total)
    sites = {str(s.site.pk): (s.name, s.site_code) for s in all_sites()}
    context = {
        "site_profile": profile,
        "max_query_length": params.max_query_length(profile),
        "params": p, "results_page": page, "error": error,
        "facets": _facet_rows(page, sites) if page else [],
        "cluster": p is not None and p.site is None,
        "query_string": request.GET.urlencode(),
    }
    return render(request, "search/search_page.html", context, status=400 if error else 200)


@require_GET
def follow(request: HttpRequest, page_id: int) -> HttpResponse:
    """Count a click on a result (anonymously, per query and day), then go to the item."""
    doc = SearchDocument.objects.filter(pk=page_id).select_related("site").first()
    if doc is None:
        raise Http404("没有这条结果")
    from govsites.sites.selectors import profile_for_request

    query = (request.GET.get("q") or "")[: params.max_query_length(profile_for_request(request))]
    here = Site.find_for_request(request)
    services.record_click(site_id=None if request.GET.get("site") == "all" else
                          (here.pk if here else None), query=query)
    target = doc.url_path if here is not None and here.pk == doc.site_id else (
        doc.site.root_url + doc.url_path)
    return HttpResponseRedirect(target)
