"""Request guards of the whole application: which hosts are answered, which proxy headers count,
and which Content-Security-Policy the admin gets. See docs/security.md."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from django.utils import translation

from govsites.core.clientaddr import PROXY_HEADERS, is_trusted_proxy

from . import hosts

Handler = Callable[[HttpRequest], HttpResponse]

#: Admin views (URL names, pages and snippets alike) that render a public page template:
#: previews, drafts, revisions. They keep the public SECURE_CSP, so an item's body cannot run
#: script inside the admin.
PAGE_RENDERING_ADMIN_URL_NAMES = frozenset({
    "preview_on_add", "preview_on_edit", "view_draft", "revisions_view", "workflow_preview",
})


class RegisteredHostMiddleware:
    """Answer only the registry's host names (400 otherwise); drop untrusted proxy headers.

    First in MIDDLEWARE, so nothing (the static-first server, Wagtail's site lookup, which falls
    back to the default site) ever sees an unknown host, and nothing downstream reads a proxy
    header a client wrote itself.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(str(request.META.get("REMOTE_ADDR", ""))):
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        host = request.get_host()  # the syntax check (ALLOWED_HOSTS is "*"; this is the list)
        domain, _port = split_domain_port(host)
        if not hosts.host_allowed(domain):
            raise DisallowedHost(f"Host {host!r} is not a registered site of this installation.")
        hosts.site_for_request(request)  # Wagtail's lookup, kept per host (config/hosts.py)
        return self.get_response(request)


def _admin_prefix() -> str:
    from django.urls import reverse

    return reverse("wagtailadmin_home")


class AdminContentSecurityPolicyMiddleware:
    """Give admin responses GOVSITES_ADMIN_CSP, except views that render a public page.

    Sits inside Django's ContentSecurityPolicyMiddleware, which writes the header from the
    `_csp_config` a response carries (SECURE_CSP when it carries none).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(_admin_prefix()) and not _renders_a_page(request):
            response._csp_config = settings.GOVSITES_ADMIN_CSP  # type: ignore[attr-defined]
        return response


def _renders_a_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return match.url_name in PAGE_RENDERING_ADMIN_URL_NAMES


class PlatformLanguageMiddleware:
    """Answer every request in LANGUAGE_CODE (简体中文), whatever the browser asks for.

    Replaces Django's LocaleMiddleware, which would follow Accept-Language and turn the admin
    English for an English browser. An account that opted into another language in its
    profile (账号设置 → 语言) still gets it: Wagtail's admin views apply that preference on top.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        return response
