"""The data APIs: `/api/v1/…` (ours, described in openapi.json) and the CKAN action subset.

Views are thin: parse parameters, call selectors and `query`, shape JSON. Every call is
rate-limited per client and counted per dataset (statistics). Bad parameters answer 400 with a
Chinese message; nothing here ever builds SQL from input (see query.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from govsites import rules

from . import selectors, services
from .dcat import download_url
from .query import QueryError, RowQuery, fetch_rows, parse_query
from .ratelimit import seconds_to_wait

View = Callable[..., HttpResponseBase]


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def rate_limited(view: View) -> View:
    """Answer 429 (with Retry-After) when the client has used up its calls this minute."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        limit = int(_rules(request).value("opendata.api.rate_limit_per_minute"))
        wait = seconds_to_wait(request, limit=limit)
        if wait:
            response = _json({"error": f"请求过于频繁，请 {wait} 秒后再试。"}, status=429)
            response["Retry-After"] = str(wait)
            return response
        answer = view(request, *args, **kwargs)
        answer["Access-Control-Allow-Origin"] = "*"
        return answer

    return wrapper


def _rules(request: HttpRequest) -> rules.Resolved:
    """The rule values one API call uses (the same for the whole call)."""
    resolved: rules.Resolved | None = getattr(request, "_opendata_rules", None)
    if resolved is None:
        resolved = rules.snapshot()  # kept by the process for a few seconds (rules.resolve)
        request._opendata_rules = resolved  # type: ignore[attr-defined]
    return resolved


def _limits(resolved: rules.Resolved | None = None) -> tuple[int, int]:
    resolved = resolved or rules.snapshot()
    return (int(resolved.value("opendata.api.default_limit")),
            int(resolved.value("opendata.api.max_limit")))


def dataset_summary(dataset: Any) -> dict[str, Any]:
    provider = dataset.provider()
    return {
        "id": dataset.pk, "name": dataset.slug, "title": dataset.title, "code": dataset.code(),
        "description": dataset.summary, "provider": provider.name if provider else "",
        "topic": str(dataset.topic) if dataset.topic_id else "",
        "industry": dataset.get_industry_display() if dataset.industry else "",
        "keywords": [k.strip() for k in dataset.keywords.replace("，", ",").split(",")
                     if k.strip()],
        "update_frequency": dataset.update_frequency, "open_attribute": dataset.open_attribute,
        "url": dataset.get_full_url(),
        "published_at": dataset.first_published_at.isoformat()
        if dataset.first_published_at else None,
        "data_updated_at": (lambda v: v.isoformat() if v else None)(
            selectors.data_updated_at(dataset)),
    }


def dataset_detail(dataset: Any) -> dict[str, Any]:
    detail = dataset_summary(dataset)
    tables = {t.resource.pk: t for t in selectors.live_tables(dataset)}
    resources = []
    for resource in dataset.resources.all():
        entry: dict[str, Any] = {"id": resource.pk, "name": resource.name,
                                 "description": resource.description, "kind": resource.kind,
                                 "format": resource.format}
        table = tables.get(resource.pk)
        if resource.kind == "api":
            entry["url"] = resource.api_url
        elif table is not None:
            entry.update(url=download_url(dataset, table.version), version=table.version.number,
                         rows=table.version.row_count,
                         fields=table.version.table_schema.get("fields", []),
                         rows_api=f"/api/v1/datasets/{dataset.pk}/rows?resource={resource.pk}")
        resources.append(entry)
    detail.update(
        license=dataset.license, open_conditions=dataset.open_conditions,
        spatial_coverage=dataset.spatial_coverage,
        temporal_coverage=[d.isoformat() if d else None
                           for d in (dataset.temporal_start, dataset.temporal_end)],
        contact={"name": dataset.contact_name, "phone": dataset.contact_phone,
                 "email": dataset.contact_email},
        resources=resources,
        versions=[{"resource": v.resource_name, "version": v.number, "rows": v.row_count,
                   "released_at": v.released_at.isoformat() if v.released_at else None,
                   "url": download_url(dataset, v)} for v in selectors.released_versions(dataset)])
    return detail


# --- /api/v1 ---------------------------------------------------------------------------------

@require_GET
@rate_limited
def datasets(request: HttpRequest) -> HttpResponse:
    """GET /api/v1/datasets?q=&limit=&offset=: the catalogue."""
    default_limit, max_limit = _limits(_rules(request))
    try:
        page = parse_query(schema={"fields": []}, limit=request.GET.get("limit"),
                           offset=request.GET.get("offset"), default_limit=default_limit,
                           max_limit=max_limit)
    except QueryError as error:
        return _json({"error": str(error)}, status=400)
    found = selectors.live_datasets()
    q = request.GET.get("q", "").strip()
    if q:
        found = found.filter(title__icontains=q) | found.filter(summary__icontains=q)
    total = found.count()
    results = [dataset_summary(d) for d in found[page.offset:page.offset + page.limit]]
    return _json({"count": total, "limit": page.limit, "offset": page.offset,
                  "results": results})


@require_GET
@rate_limited
def dataset(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """GET /api/v1/datasets/{id}: one dataset with its resources and versions."""
    found = selectors.dataset_by_ref(dataset_id)
    if found is None:
        return _json({"error": "数据集不存在。"}, status=404)
    services.count_use(dataset_id=found.pk, api_calls=1)
    return _json(dataset_detail(found))


def _parse_rows(request: HttpRequest, schema: dict[str, Any]) -> RowQuery:
    default_limit, max_limit = _limits(_rules(request))
    return parse_query(schema=schema, filters=request.GET.getlist("filter"),
                       sort=request.GET.get("sort", ""), fields=request.GET.get("fields", ""),
                       limit=request.GET.get("limit"), offset=request.GET.get("offset"),
                       default_limit=default_limit, max_limit=max_limit)


@require_GET
@rate_limited
def rows(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """GET /api/v1/datasets/{id}/rows?resource=&filter=col:op:value&sort=&fields=&limit=&offset=
    &format=json|csv: rows of a released table."""
    source = selectors.rows_source(dataset_id, request.GET.get("resource") or None)
    if source is None:
        if selectors.dataset_by_ref(dataset_id) is None:
            return _json({"error": "数据集不存在。"}, status=404)
        return _json({"error": "该数据集没有这个数据表。"}, status=404)
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv"):
        return _json({"error": "format 只能是 json 或 csv。"}, status=400)
    try:
        query = _parse_rows(request, source.table_schema)
        page = fetch_rows(source.parquet, source.table_schema, query, with_total=fmt == "json")
    except QueryError as error:
        return _json({"error": str(error)}, status=400)
    services.count_use(dataset_id=source.dataset_id, api_calls=1)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        names = [f["id"] for f in page.fields]
        writer.writerow(names)
        for row in page.rows:
            writer.writerow(["" if row[n] is None else row[n] for n in names])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = "attachment; filename=rows.csv"
        return response
    return _json({"dataset": source.dataset_id, "resource": source.resource_id,
                  "version": source.version_number, "fields": page.fields, "total": page.total,
                  "limit": query.limit, "offset": query.offset, "rows": page.rows})


# --- the CKAN action API subset --------------------------------------------------------------

CKAN_HELP = "/api/3/action/help_show?name={name}"


def _ckan_ok(name: str, result: Any) -> JsonResponse:
    return _json({"help": CKAN_HELP.format(name=name), "success": True, "result": result})


def _ckan_error(name: str, kind: str, message: str, status: int) -> JsonResponse:
    error: dict[str, Any] = {"__type": kind, "message": f"{kind}: {message}"}
    return _json({"help": CKAN_HELP.format(name=name), "success": False, "error": error},
                 status=status)


def _ckan_params(request: HttpRequest) -> dict[str, Any]:
    """CKAN clients send GET parameters or a JSON (or form) POST body."""
    if request.method == "POST":
        if request.content_type == "application/json" or request.body.startswith(b"{"):
            try:
                body = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                return {"__invalid__": "请求体不是有效的 JSON。"}
            return body if isinstance(body, dict) else {"__invalid__": "请求体须为 JSON 对象。"}
        return {k: request.POST.get(k) for k in request.POST}
    return {k: request.GET.get(k) for k in request.GET}


def ckan_package(dataset: Any) -> dict[str, Any]:
    provider = dataset.provider()
    tables = {t.resource.pk: t for t in selectors.live_tables(dataset)}
    resources = []
    for position, resource in enumerate(dataset.resources.all()):
        table = tables.get(resource.pk)
        if resource.kind == "api":
            url = resource.api_url
        elif table is not None:
            url = download_url(dataset, table.version)
        else:
            continue
        resources.append({
            "id": str(resource.pk), "package_id": str(dataset.pk), "name": resource.name,
            "description": resource.description, "format": resource.format, "url": url,
            "position": position, "datastore_active": table is not None,
            "size": table.version.size if table else None,
            "last_modified": table.version.released_at.isoformat()
            if table and table.version.released_at else None,
        })
    modified = selectors.data_updated_at(dataset)
    return {
        "id": str(dataset.pk), "name": dataset.slug, "title": dataset.title,
        "notes": dataset.summary, "state": "active", "type": "dataset", "private": False,
        "license_title": dataset.license, "license_id": dataset.license,
        "maintainer": dataset.contact_name, "maintainer_email": dataset.contact_email,
        "url": dataset.get_full_url(),
        "metadata_created": dataset.first_published_at.isoformat()
        if dataset.first_published_at else None,
        "metadata_modified": modified.isoformat() if modified else None,
        "organization": ({"name": provider.credit_code or str(provider.pk),
                          "title": provider.name} if provider else None),
        "tags": [{"name": k.strip()} for k in dataset.keywords.replace("，", ",").split(",")
                 if k.strip()],
        "groups": [{"name": str(dataset.topic), "title": str(dataset.topic)}]
        if dataset.topic_id else [],
        "num_resources": len(resources), "num_tags": len(dataset.keywords.split(",")),
        "resources": resources,
        "extras": [{"key": k, "value": v} for k, v in (
            ("信息资源代码", dataset.code()), ("更新频率", dataset.update_frequency),
            ("开放属性", dataset.open_attribute), ("行业分类", dataset.get_industry_display()),
            ("空间范围", dataset.spatial_coverage)) if v],
    }


def ckan_action(name: str) -> View:
    @csrf_exempt
    @rate_limited
    def view(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return _ckan_error(name, "Bad request", "只接受 GET 或 POST。", 405)
        params = _ckan_params(request)
        if "__invalid__" in params:
            return _ckan_error(name, "Validation Error", params["__invalid__"], 400)
        return CKAN_ACTIONS[name](name, params)

    view.__name__ = f"ckan_{name}"
    return view


def _package_list(name: str, params: dict[str, Any]) -> HttpResponse:
    return _ckan_ok(name, list(selectors.live_datasets().values_list("slug", flat=True)))


def _package_show(name: str, params: dict[str, Any]) -> HttpResponse:
    ref = params.get("id") or params.get("name_or_id")
    if not ref:
        return _ckan_error(name, "Validation Error", "缺少参数 id。", 400)
    found = selectors.dataset_by_ref(str(ref))
    if found is None:
        return _ckan_error(name, "Not Found Error", "数据集不存在。", 404)
    services.count_use(dataset_id=found.pk, api_calls=1)
    return _ckan_ok(name, ckan_package(found))


def _package_search(name: str, params: dict[str, Any]) -> HttpResponse:
    default_limit, max_limit = _limits()
    try:
        page = parse_query(schema={"fields": []}, limit=params.get("rows"),
                           offset=params.get("start"), default_limit=default_limit,
                           max_limit=max_limit)
    except QueryError as error:
        return _ckan_error(name, "Validation Error", str(error), 400)
    found = selectors.live_datasets()
    q = str(params.get("q") or "").strip()
    if q and q != "*:*":
        found = found.filter(title__icontains=q) | found.filter(summary__icontains=q) | \
            found.filter(keywords__icontains=q)
    results = [ckan_package(d) for d in found[page.offset:page.offset + page.limit]]
    return _ckan_ok(name, {"count": found.count(), "results": results, "sort": "",
                           "facets": {}, "search_facets": {}})


def _ckan_text(q: Any) -> str:
    """CKAN's `q` as one text (a JSON object of column → text is not supported: say so)."""
    if q is None or q == "":
        return ""
    if not isinstance(q, str):
        raise QueryError("q 须为文本；按列检索请使用 filters。")
    return q


def _datastore_search(name: str, params: dict[str, Any]) -> HttpResponse:
    resource_id = params.get("resource_id") or params.get("id")
    if not resource_id:
        return _ckan_error(name, "Validation Error", "缺少参数 resource_id。", 400)
    table = selectors.table_by_resource_id(str(resource_id))
    if table is None:
        return _ckan_error(name, "Not Found Error", "数据资源不存在或未开放查询。", 404)
    filters = params.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            return _ckan_error(name, "Validation Error", "filters 须为 JSON 对象。", 400)
    if not isinstance(filters, dict):
        return _ckan_error(name, "Validation Error", "filters 须为 JSON 对象。", 400)
    fields = params.get("fields") or ""
    if isinstance(fields, list):
        fields = ",".join(str(f) for f in fields)
    default_limit, max_limit = _limits()
    try:
        query = parse_query(schema=table.version.table_schema, filter_map=filters,
                            sort=str(params.get("sort") or ""), fields=str(fields),
                            limit=params.get("limit"), offset=params.get("offset"),
                            default_limit=default_limit, max_limit=max_limit,
                            text=_ckan_text(params.get("q")))
        page = fetch_rows(table.parquet, table.version.table_schema, query)
    except QueryError as error:
        return _ckan_error(name, "Validation Error", str(error), 400)
    services.count_use(dataset_id=table.dataset.pk, api_calls=1)
    ckan_types = {"integer": "int8", "number": "float8", "boolean": "bool", "date": "date",
                  "datetime": "timestamp", "year": "int4"}
    return _ckan_ok(name, {
        "resource_id": str(table.resource.pk),
        "fields": [{"id": f["id"], "type": ckan_types.get(f["type"], "text")}
                   for f in page.fields],
        "records": page.rows, "total": page.total, "limit": query.limit, "offset": query.offset,
        "_links": {"start": f"/api/3/action/datastore_search?resource_id={table.resource.pk}"},
    })


CKAN_ACTIONS: dict[str, Callable[[str, dict[str, Any]], HttpResponse]] = {
    "package_list": _package_list,
    "package_show": _package_show,
    "package_search": _package_search,
    "datastore_search": _datastore_search,
}
