"""One OpenAPI description for the whole `/api/v1`: every installed govsites app that ships
`data/openapi.json` (today opendata and search) contributes its paths and schemas.

Core imports no domain app: the files are found through the app registry. Two apps may not
declare the same path, nor the same schema name with different content (the merge refuses,
so a clash shows up in the test suite rather than as a silently overwritten description).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

INFO = {
    "title": "govsites 开放接口（数据开放、站群统一搜索）",
    "version": "1.0.0",
    "description": "政府网站集约化平台对外提供的接口：数据开放（数据集目录、数据集、数据表行、兼容 CKAN 的"
                   "查询）与站群统一搜索（搜索即服务）。每个客户端每分钟的调用次数有上限（规则参数），超过时返回"
                   " 429。",
}


class OpenAPIConflict(ValueError):
    """Two apps describe the same path or schema differently."""


def app_files() -> list[Path]:
    """The OpenAPI files of the installed govsites apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("govsites."):
            path = Path(config.path) / "data" / "openapi.json"
            if path.is_file():
                found.append(path)
    return found


def merge(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge OpenAPI 3.1 documents into one (paths and component schemas)."""
    merged: dict[str, Any] = {"openapi": "3.1.0", "info": dict(INFO), "paths": {},
                              "components": {"schemas": {}}}
    for doc in documents:
        for path, item in doc.get("paths", {}).items():
            if path in merged["paths"]:
                raise OpenAPIConflict(f"OpenAPI path {path} is described twice")
            merged["paths"][path] = item
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            known = merged["components"]["schemas"].get(name)
            if known is not None and known != schema:
                raise OpenAPIConflict(f"OpenAPI schema {name} differs between apps")
            merged["components"]["schemas"][name] = schema
    return merged


@cache
def document() -> dict[str, Any]:
    """The merged description (read once per process)."""
    return merge([json.loads(p.read_text(encoding="utf-8")) for p in app_files()])


@require_GET
def view(request: HttpRequest) -> HttpResponse:
    """/api/v1/openapi.json"""
    body = json.dumps(document(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
