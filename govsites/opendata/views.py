"""Public file views: downloads of released versions, the DCAT catalogue, the OpenAPI file."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import duckdb
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.views.decorators.http import require_GET

from . import selectors, services, storage
from .api import rate_limited
from .dcat import catalog_jsonld

CONTENT_TYPES = {"CSV": "text/csv", "XLSX": ("application/vnd.openxmlformats-officedocument."
                                             "spreadsheetml.sheet"),
                 "JSON": "application/json"}


@require_GET
@rate_limited
def download(request: HttpRequest, version_id: int, filename: str) -> HttpResponseBase:
    """A released version as uploaded, or converted (`?as=csv` UTF-8, `?as=json`)."""
    version = selectors.released_version(version_id)
    if version is None:
        raise Http404("没有这个数据文件")
    convert = request.GET.get("as", "")
    if convert not in ("", "csv", "json"):
        return JsonResponse({"error": "as 只能是 csv 或 json。"}, status=400)
    services.count_use(dataset_id=version.dataset_id, downloads=1)
    if not convert:
        path = storage.original_path(version)
        response = FileResponse(path.open("rb"), as_attachment=True,
                                filename=version.download_name(),
                                content_type=CONTENT_TYPES.get(version.format, "application/octet-stream"))
        return response
    workdir = Path(tempfile.mkdtemp(prefix="opendata-download-"))
    target = workdir / f"data.{convert}"
    source = str(storage.parquet_path(version)).replace("'", "''")
    options = "FORMAT csv, HEADER true" if convert == "csv" else "FORMAT json, ARRAY true"
    connection = duckdb.connect()
    try:
        connection.execute(f"COPY (SELECT * FROM read_parquet('{source}')) TO "
                           f"'{str(target).replace(chr(39), chr(39) * 2)}' ({options})")
        handle = target.open("rb")  # FileResponse closes it; the name goes now, the data
    finally:                        # when the handle is closed
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)
    content_type = "text/csv; charset=utf-8" if convert == "csv" else "application/json"
    return FileResponse(handle, as_attachment=True, filename=version.download_name(convert),
                        content_type=content_type)


@require_GET
@rate_limited
def catalog(request: HttpRequest) -> HttpResponse:
    """/data/catalog.jsonld: every live dataset as one dcat:Catalog, for harvesters."""
    body = json.dumps(catalog_jsonld(selectors.live_datasets()), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")
