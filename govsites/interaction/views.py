"""The public's pages under /interact/ on every site (and /zh-hant/interact/ in 繁体).

Thin: each view parses the form, calls one service or selector and renders the site's
furniture. Submissions are limited per client (core.ratelimit), need the server-side CAPTCHA,
and their pages are never cached.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from govsites import rules
from govsites.accounts import citizens
from govsites.core import ratelimit
from govsites.core.audit import sm3_hex
from govsites.core.clientaddr import client_address
from govsites.sites.selectors import profile_for_request

from . import captcha, error_reports, policies, selectors, services
from .attachments import Upload
from .forms import EnquiryForm, ErrorReportForm, FollowForm, RatingForm

FOLLOW_SESSION_KEY = "interaction_following"
PAGE_SIZE = 20


def _profile(request: HttpRequest) -> Any:
    from govsites.sites.selectors import profile_for_request

    profile = profile_for_request(request)
    if profile is None:
        raise Http404("没有这个网站")
    return profile


def submission_limit(request: HttpRequest) -> int:
    """Messages, comments, 找错 reports and questions a client may send per minute (rule data,
    IA-03; 0 means no limit)."""
    return int(rules.value("interaction.submissions_per_minute",
                           site=profile_for_request(request)))


def _limit(request: HttpRequest, scope: str) -> int:
    return ratelimit.seconds_to_wait(request, scope=scope, limit=submission_limit(request))


def _posted_form_wait(request: HttpRequest, form: Any, scope: str) -> int:
    """A public form's POST: the seconds the client must wait when it is over its limit
    (nothing else is checked then), else 0, with a wrong CAPTCHA answer added to the form."""
    wait = _limit(request, scope)
    if not wait and form.is_valid() and not captcha.check(request, form.cleaned_data["captcha"]):
        form.add_error("captcha", "验证问题回答不正确，请回答新的问题。")
    return wait


def _too_many(request: HttpRequest, profile: Any, wait: int) -> HttpResponse:
    response = render(request, "interaction/message.html", {
        "site_profile": profile, "title": "提交过于频繁",
        "message": f"提交过于频繁，请 {wait} 秒后再试。"}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """政民互动: the site's mailboxes and the ways to follow, read and report."""
    profile = _profile(request)
    return render(request, "interaction/index.html", {
        "site_profile": profile, "mailboxes": selectors.open_mailboxes(profile),
        "recent": selectors.public_replies(profile)[:10]})


@never_cache
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, slug: str) -> HttpResponse:
    """Write to a mailbox; on success show the query code and password once."""
    profile = _profile(request)
    mailbox = selectors.mailbox_by_slug(profile, slug)
    if mailbox is None or not mailbox.is_open:
        raise Http404("没有这个信箱")
    form = EnquiryForm(request.POST or None, request.FILES or None,
                       initial=citizen_initial(request))
    if request.method == "POST":
        wait = _posted_form_wait(request, form, "interaction.submit")
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = services.submit_enquiry(
                    mailbox=mailbox, kind=data["kind"], subject=data["subject"],
                    content=data["content"], name=data["name"], mobile=data["mobile"],
                    email=data["email"] or "", publish_allowed=data["publish_allowed"],
                    client_digest=sm3_hex((client_address(request) or "").encode()),
                    attachments=[Upload(f.name or "", f.read())
                                 for f in request.FILES.getlist("attachments")[:10]],
                    citizen=citizens.current_citizen(request))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return render(request, "interaction/submitted.html", {
                    "site_profile": profile, "mailbox": mailbox, "submitted": submitted,
                    "held": bool(submitted.enquiry.held_reasons)})
    return render(request, "interaction/write.html", {
        "site_profile": profile, "mailbox": mailbox, "form": form,
        "question": captcha.new_question(request),
        "reply_days": _reply_days(mailbox)}, status=400 if form.errors else 200)


def citizen_initial(request: HttpRequest,
                    fields: tuple[str, ...] = ("name", "mobile", "email")) -> dict[str, str]:
    """A public form's initial values for a logged-in citizen (PA-15): name, mobile, e-mail
    or contact from their account, still editable; nothing for anyone else (only on GET)."""
    if request.method != "GET":
        return {}
    data = citizens.prefill(request)
    return {key: data[key] for key in fields if key in data}


def _reply_days(mailbox: Any) -> int:
    from .deadlines import reply_working_days

    return reply_working_days(mailbox)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a message with its query code and password (kept in the session afterwards)."""
    profile = _profile(request)
    form = FollowForm(request.POST or None)
    enquiry = None
    if request.method == "POST":
        wait = _limit(request, "interaction.follow")
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid():
            enquiry = policies.enquiry_for_writer(query_code=form.cleaned_data["query_code"],
                                                  password=form.cleaned_data["password"])
            if enquiry is None or enquiry.mailbox.site_id != profile.pk:
                enquiry = None
                form.add_error(None, "查询码或密码不正确。")
            else:
                request.session[FOLLOW_SESSION_KEY] = enquiry.pk
                return HttpResponseRedirect(reverse("interaction:follow"))
    elif request.session.get(FOLLOW_SESSION_KEY):
        enquiry = (selectors.open_or_any_enquiry(request.session[FOLLOW_SESSION_KEY], profile))
    context: dict[str, Any] = {"site_profile": profile, "form": form, "enquiry": enquiry}
    if enquiry is not None:
        context.update(events=selectors.public_events(enquiry),
                       reply=selectors.published_reply(enquiry),
                       rating_form=RatingForm() if enquiry.status == "replied"
                       and not enquiry.satisfaction else None)
    return render(request, "interaction/follow.html", context,
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["POST"])
def rate(request: HttpRequest) -> HttpResponse:
    """The writer rates the answer (and may ask once for it to be handled again)."""
    profile = _profile(request)
    enquiry_id = request.session.get(FOLLOW_SESSION_KEY)
    enquiry = selectors.open_or_any_enquiry(enquiry_id, profile) if enquiry_id else None
    if enquiry is None:
        return HttpResponseRedirect(reverse("interaction:follow"))
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_enquiry(enquiry=enquiry, satisfaction=form.cleaned_data["satisfaction"],
                                  reopen=form.cleaned_data["reopen"],
                                  note=form.cleaned_data["note"])
        except ValidationError as exc:
            return render(request, "interaction/message.html", {
                "site_profile": profile, "title": "评价未提交",
                "message": "；".join(exc.messages)}, status=400)
    return HttpResponseRedirect(reverse("interaction:follow"))


@require_GET
def replies(request: HttpRequest) -> HttpResponse:
    """Answered messages whose writers allowed publication, with their dates and department."""
    profile = _profile(request)
    slug = request.GET.get("mailbox", "")
    mailbox = selectors.mailbox_by_slug(profile, slug) if slug else None
    paginator = Paginator(selectors.public_replies(profile, mailbox=mailbox), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "interaction/replies.html", {
        "site_profile": profile, "page_obj": page, "mailbox": mailbox,
        "mailboxes": selectors.open_mailboxes(profile)})


@require_GET
def reply_detail(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    """One published message: 受理日期, 答复日期, 答复部门, 答复内容 and the deadline met."""
    profile = _profile(request)
    enquiry = selectors.public_enquiry(profile, enquiry_id)
    if enquiry is None:
        raise Http404("没有这条公开的留言")
    return render(request, "interaction/reply_detail.html", {
        "site_profile": profile, "enquiry": enquiry, "reply": selectors.published_reply(enquiry)})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Monthly statistics per mailbox for a year, with a bar chart."""
    profile = _profile(request)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year:
        year = this_year
    boxes = [selectors.mailbox_statistics(m, year) for m in selectors.open_mailboxes(profile)]
    return render(request, "interaction/statistics.html", {
        "site_profile": profile, "year": year, "years": range(this_year, this_year - 5, -1),
        "boxes": boxes})


@never_cache
@require_http_methods(["GET", "POST"])
def error_report(request: HttpRequest) -> HttpResponse:
    """我为政府网站找错: the page address comes prefilled from ?url= (or the referring page)."""
    profile = _profile(request)
    initial = {"page_url": request.GET.get("url") or request.headers.get("Referer", ""),
               **citizen_initial(request, fields=("contact",))}
    form = ErrorReportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        wait = _limit(request, "interaction.error_report")
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid() and not captcha.check(request, form.cleaned_data["captcha"]):
            form.add_error("captcha", "验证问题回答不正确，请回答新的问题。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = error_reports.submit_error_report(
                    site=profile, page_url=data["page_url"], error_type=data["error_type"],
                    description=data["description"], contact=data["contact"] or "",
                    citizen=citizens.current_citizen(request))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return render(request, "interaction/message.html", {
                    "site_profile": profile, "title": "感谢您的反馈",
                    "message": f"找错留言已收到，编号 {report.query_code}。"
                               + (f"网站主办单位将在 {report.reply_due.isoformat()} 前答复。"
                                  if report.reply_due else "网站主办单位将尽快核实处理。")})
    return render(request, "interaction/error_report.html", {
        "site_profile": profile, "form": form, "question": captcha.new_question(request)},
        status=400 if form.errors else 200)
