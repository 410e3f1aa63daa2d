"""Public views outside the page tree (网站地图, 内容订阅)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from wagtail.models import Page, Site

from govsites.core import ratelimit
from govsites.sites.selectors import profile_for_site

from . import subscriptions
from .selectors import site_column_tree


def site_map(request: HttpRequest) -> HttpResponse:
    """网站地图: every live column of the site answering the request."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    home = site.root_page.specific
    return TemplateResponse(request, "content/site_map.html", {
        "page": None, "home": home, "site_profile": profile_for_site(site),
        "columns": site_column_tree(home),
    })


# --- 内容推送: e-mail subscriptions (content/subscriptions.py holds the writes) ---

class SubscribeForm(forms.Form):
    email = forms.CharField(label="电子邮箱", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))


def _subscription_page(request: HttpRequest, site: Site) -> Page:
    raw = request.POST.get("page") or request.GET.get("page") or ""
    if not raw:
        return site.root_page
    try:
        page = Page.objects.get(pk=int(raw))
    except (ValueError, Page.DoesNotExist):
        raise Http404("没有这个栏目") from None
    if not page.is_descendant_of(site.root_page) and page.pk != site.root_page_id:
        raise Http404("没有这个栏目")
    return page


def _message(request: HttpRequest, site: Site, title: str, message: str,
             status: int = 200) -> HttpResponse:
    return TemplateResponse(request, "content/subscription_message.html", {
        "page": None, "site_profile": profile_for_site(site), "title": title,
        "message": message}, status=status)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """订阅: a reader gives an e-mail address for a column's (or the site's) new items."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    page = _subscription_page(request, site)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimit.seconds_to_wait(
            request, scope="content.subscribe",
            limit=subscriptions.requests_per_minute(profile_for_site(site)))
        if wait:
            response = _message(request, site, "提交过于频繁",
                                f"提交过于频繁，请 {wait} 秒后再试。", status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                subscriptions.request_subscription(page=page, email=form.cleaned_data["email"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error("email" if field == "email" else None, messages)
            else:
                return _message(request, site, "请查收确认邮件",
                                "我们已向该邮箱发送确认邮件（如该邮箱已订阅则不再发送）。"
                                "请打开邮件中的链接完成订阅；未确认前不会推送任何信息。")
    return TemplateResponse(request, "content/subscribe.html", {
        "page": None, "site_profile": profile_for_site(site), "target": page.specific,
        "is_site": page.pk == site.root_page_id, "form": form,
        "feed_base": urlsplit(page.get_url(request) or "/").path,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation mail: GET shows a button (mail scanners follow links
    without meaning to subscribe), POST confirms."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    try:
        if request.method == "POST":
            subscription = subscriptions.confirm_subscription(token=token)
            return _message(request, site, "订阅成功",
                            f"您已订阅“{subscription.page.title}”，有新信息时将推送到您的邮箱。"
                            "每封推送邮件都附有退订链接。")
        subscription = subscriptions.subscription_for_confirm(token)
    except ValidationError as exc:
        return _message(request, site, "无法确认订阅", " ".join(exc.messages), status=400)
    return TemplateResponse(request, "content/subscription_action.html", {
        "page": None, "site_profile": profile_for_site(site), "title": "确认订阅",
        "text": f"确认订阅“{subscription.page.title}”的更新推送？", "button": "确认订阅"})


@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every digest: GET asks, POST deletes the subscription."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    try:
        if request.method == "POST":
            subscriptions.unsubscribe(token=token)
            return _message(request, site, "已退订", "您已退订，不会再收到该订阅的推送；"
                            "您的邮箱地址已从订阅记录中删除。")
        subscription = subscriptions.subscription_for_unsubscribe(token)
    except ValidationError as exc:
        return _message(request, site, "无法退订", " ".join(exc.messages), status=400)
    return TemplateResponse(request, "content/subscription_action.html", {
        "page": None, "site_profile": profile_for_site(site), "title": "退订",
        "text": f"退订“{subscription.page.title}”的更新推送？", "button": "确认退订"})
