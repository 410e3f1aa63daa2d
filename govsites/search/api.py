"""The JSON search API (搜索即服务): GET /api/v1/search, described in data/openapi.json (served
merged with the other APIs' at /api/v1/openapi.json by govsites.core.openapi)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.views.decorators.http import require_GET

from . import params, ratelimit, selectors, services


def _error(status: int, zh: str, en: str, field: str = "") -> JsonResponse:
    body: dict[str, Any] = {"error": {"message": zh, "message_en": en}}
    if field:
        body["error"]["parameter"] = field
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the cluster (or one site: `site` = domain or 网站标识码) and return JSON."""
    from govsites.sites.selectors import profile_for_request

    wait = ratelimit.seconds_to_wait(request)
    if wait:
        response = _error(429, "请求过于频繁，请稍后再试。", "Too many requests; retry later.")
        response["Retry-After"] = str(wait)
        return response
    try:
        p = params.parse(request.GET, rules_site=profile_for_request(request))
    except params.BadParameter as exc:
        return _error(400, exc.zh, exc.en, exc.field)
    page = selectors.search(p.q, site=p.site, filters=p.filters, sort=p.sort, page=p.page,
                            page_size=p.page_size, absolute_urls=True)
    services.record_search(site_id=p.site.pk if p.site else None, query=p.q, total=page.total)
    body = {
        "total": page.total,
        "total_exact": page.exact,
        "page": page.page,
        "results": [{
            "title": r.title, "url": r.url, "site": r.site, "column": r.column,
            "type": r.item_type, "published_at": r.published_at.isoformat()
            if r.published_at else None, "snippet": str(r.snippet_html), "score": r.score,
            "validity": r.validity or None,
        } for r in page.results],
        "facets": page.facets,
        "best_bets": [{"title": r.title, "url": r.url} for r in page.best_bets],
        "relaxed": page.relaxed,
        "suggestions": page.suggestions,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # 搜索即服务: any site may call it
    return response


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """The search API's former description address: the one file is /api/v1/openapi.json."""
    return HttpResponsePermanentRedirect("/api/v1/openapi.json")
