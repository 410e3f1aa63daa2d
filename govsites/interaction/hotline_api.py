"""POST /interact/hotline/results: the 12345 hotline reports a message's result (IA-09).

Accepted only from `GOVSITES_HOTLINE_ALLOWED_NETWORKS` with the bearer token
`GOVSITES_HOTLINE_CALLBACK_TOKEN` (unset: the callback is off and answers 404). The body is one
JSON object: query_code, ticket_number, result, replied_at (ISO 8601).
"""

from __future__ import annotations

import ipaddress
import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from govsites.core.clientaddr import client_address

from . import hotline

MAX_BODY = 64 * 1024


def _json(body: dict[str, object], status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _from_allowed_network(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    networks = getattr(settings, "GOVSITES_HOTLINE_ALLOWED_NETWORKS", []) or []
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


@csrf_exempt
@require_POST
def hotline_results(request: HttpRequest) -> HttpResponse:
    token = str(getattr(settings, "GOVSITES_HOTLINE_CALLBACK_TOKEN", "") or "")
    if not token:
        return _json({"error": {"message": "未开通12345热线结果回传。"}}, 404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not _from_allowed_network(request) or not secrets.compare_digest(given, token):
        return _json({"error": {"message": "无权回传12345热线办理结果。"}}, 403)
    if len(request.body) > MAX_BODY:
        return _json({"error": {"message": "请求内容过大。"}}, 413)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _json({"error": {"message": "请求内容不是 JSON。"}}, 400)
    if not isinstance(data, dict):
        return _json({"error": {"message": "请求内容应为一个 JSON 对象。"}}, 400)
    try:
        changed = hotline.receive_hotline_result(acting_user=None, data=data)
    except ValidationError as exc:
        return _json({"error": {"message": "；".join(exc.messages)}}, 400)
    return _json({"recorded": changed})
