"""GET /api/v1/qa?q=… : the best curated answers of this site for a question (智能问答)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from govsites import rules
from govsites.core import ratelimit

from . import faq

MAX_LENGTH = 200


def _json(body: dict[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def limit_per_minute(profile: Any) -> int:
    """Calls a minute one client may make to 智能问答 on this site (0: no limit)."""
    return int(rules.value("interaction.qa.rate_limit_per_minute", site=profile))


@require_GET
def qa(request: HttpRequest) -> HttpResponse:
    """Answer `q` from the site's knowledge base; log it for the editors when nothing fits."""
    from govsites.sites.selectors import profile_for_request

    profile = profile_for_request(request)
    wait = ratelimit.seconds_to_wait(request, scope="interaction.qa",
                                     limit=limit_per_minute(profile))
    if wait:
        response = _json({"error": {"message": "请求过于频繁，请稍后再试。",
                                    "message_en": "Too many requests; retry later."}}, 429)
        response["Retry-After"] = str(wait)
        return response
    question = (request.GET.get("q") or "").strip()
    if not question or len(question) > MAX_LENGTH:
        return _json({"error": {"message": f"参数 q 必填，且不超过{MAX_LENGTH}字。",
                                "message_en": f"q is required, at most {MAX_LENGTH} characters.",
                                "parameter": "q"}}, 400)
    if profile is None:
        return _json({"error": {"message": "没有这个网站。", "message_en": "Unknown site."}}, 404)
    answers = faq.ask(profile, question, limit=3)
    return _json({"question": question, "answered": bool(answers),
                  "answers": [{"question": a.question, "answer": a.answer,
                               "organisation": a.organisation, "score": a.score}
                              for a in answers]})
