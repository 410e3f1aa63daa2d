"""Chinese error pages (404, 410, 500, 503) in each site's furniture.

The same template serves three ways: published as static files per site and variant
(`404.html`, `zh-hant/404.html`, …) that nginx shows with `error_page`; rendered by Django's
handler404/handler500 when DEBUG is off; and as the 410 of a withdrawn address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorPage:
    status: int
    title: str
    message: str

    @property
    def file(self) -> str:
        return f"{self.status}.html"


ERROR_PAGES = {
    404: ErrorPage(404, "页面不存在", "您访问的页面不存在，可能是地址有误，或信息已调整位置"),
    410: ErrorPage(410, "该信息已下线", "您访问的页面曾经发布，现已下线"),
    500: ErrorPage(500, "网站暂时出现故障", "服务器处理请求时出现错误，我们正在处理，请稍后再试"),
    503: ErrorPage(503, "网站正在维护", "网站正在维护或访问量过大，请稍后再访问"),
}
FALLBACK = ('<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}'
            '</title></head><body><h1>{title}</h1><p>{message}（HTTP {status}）</p>'
            '<p><a href="/">返回网站首页</a></p></body></html>')


def error_response(request: HttpRequest, status: int) -> HttpResponse:
    """The site's error page for this request, rendered now."""
    from govsites.sites.selectors import profile_for_request

    error = ERROR_PAGES[status]
    response = TemplateResponse(request, "publishing/error.html", {
        "page": None, "error": error, "site_profile": profile_for_request(request)},
        status=status)
    response.render()
    return response


def published_error(request: HttpRequest, status: int) -> HttpResponse:
    """The site's error page as the publisher wrote it to the tree (no database needed), in
    the request's variant; the plain page when the host has no published tree."""
    from django.http.request import split_domain_port

    from .paths import HANT_PREFIX, site_dir

    try:
        domain, _port = split_domain_port(request.get_host())
        folder = site_dir(domain)
    except Exception:  # an unusable Host: no furniture to look up
        return plain_error(status)
    hant = request.path_info == HANT_PREFIX or request.path_info.startswith(HANT_PREFIX + "/")
    name = ERROR_PAGES[status].file
    for candidate in ([folder / HANT_PREFIX.lstrip("/") / name] if hant else []) + [folder / name]:
        if ".." not in domain and candidate.is_file():
            return HttpResponse(candidate.read_bytes(), status=status,
                                content_type="text/html; charset=utf-8")
    return plain_error(status)


def plain_error(status: int) -> HttpResponse:
    """The error page without anything that needs the database (when even that failed)."""
    error = ERROR_PAGES[status]
    return HttpResponse(FALLBACK.format(title=error.title, message=error.message,
                                        status=status),
                        status=status, content_type="text/html; charset=utf-8")
