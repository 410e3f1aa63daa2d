"""The public's disclosure pages under /disclosure/ (nginx hands them to the application):
the bodies of this site, each body's 公开指南 and 公开目录, the application form, the status
of a request by its number and query code, the 告知书 and download, and published reports.

Under /zh-hant/disclosure/ publishing's static-first middleware renders and converts them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govsites import rules
from govsites.core import ratelimit
from govsites.sites.selectors import profile_for_request

from . import library, notices, reports, selectors, services
from .choices import RequestState
from .forms import ApplicationForm, StatusForm
from .models import DisclosureBody, DisclosureRequest

CATALOGUE_PAGE_SIZE = 20
CATALOGUE_TYPES = [("policydocumentpage", "政策文件"), ("articlepage", "文章"),
                   ("interpretationpage", "政策解读"), ("serviceguidepage", "办事指南")]
CATALOGUE_VALIDITIES = [("in_force", "现行有效"), ("amended", "已修订"), ("repealed", "已废止"),
                        ("expired", "已失效")]
PLATFORM_CSV_LIMIT = 5000


def apply_limit(request: HttpRequest) -> int:
    """Applications a client may file per minute (rule data, DS-01; 0 means no limit)."""
    return int(rules.value("disclosure.apply.rate_limit_per_minute",
                           site=profile_for_request(request)))


def status_limit(request: HttpRequest) -> int:
    """Status look-ups a client may make per minute (rule data, DS-01; 0 means no limit)."""
    return int(rules.value("disclosure.status.rate_limit_per_minute",
                           site=profile_for_request(request)))


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"site_profile": profile_for_request(request), **extra}


def _site_bodies(request: HttpRequest) -> Any:
    profile = profile_for_request(request)
    if profile is None:
        return DisclosureBody.objects.none()
    host = profile.host_organisation
    return (DisclosureBody.objects.select_related("organisation")
            .filter(Q(organisation=host) | Q(organisation__parent=host)))


def _body(body_id: int) -> DisclosureBody:
    body = selectors.body_by_id(body_id)
    if body is None:
        raise Http404("没有这个公开主体")
    return body


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The 政府信息公开 entry of this site: its bodies."""
    return render(request, "disclosure/index.html", _context(request, bodies=_site_bodies(request)))


@require_GET
def guide(request: HttpRequest, body_id: int) -> HttpResponse:
    """The 政府信息公开指南 generated from the body's data (条例第12条)."""
    body = _body(body_id)
    reports_list = body.annual_reports.filter(published_at__isnull=False).order_by("-year")
    return render(request, "disclosure/guide.html", _context(request, body=body,
                                                              reports=reports_list))


@require_GET
def catalogue(request: HttpRequest, body_id: int) -> HttpResponse:
    """The 政府信息公开目录: 索引号, 名称, 内容概述, 生成日期 of every item (条例第12条)."""
    from govsites.content.models import Topic

    body = _body(body_id)
    try:
        topic_id = int(request.GET.get("topic") or 0) or None
        year = int(request.GET.get("year") or 0) or None
        page_number = int(request.GET.get("page") or 1)
    except ValueError:
        return render(request, "disclosure/catalogue.html",
                      _context(request, body=body, error="筛选条件不正确。"), status=400)
    item_type = (request.GET.get("type") or "")[:50]
    validity = (request.GET.get("validity") or "")[:20]
    rows = library.catalogue(body, topic_id=topic_id, item_type=item_type, year=year,
                             validity=validity)
    page = Paginator(rows, CATALOGUE_PAGE_SIZE).get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "disclosure/catalogue.html", _context(
        request, body=body, page=page, query=query.urlencode(),
        topics=Topic.objects.filter(parent__isnull=True).order_by("pk"),
        types=CATALOGUE_TYPES, validities=CATALOGUE_VALIDITIES,
        years=list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        selected={"topic": topic_id, "type": item_type, "year": year, "validity": validity}))


def _platform_filters(request: HttpRequest) -> dict[str, Any]:
    """The unified platform's filters from the query string; ValueError when malformed."""
    body_id = int(request.GET.get("body") or 0) or None
    body = selectors.body_by_id(body_id) if body_id else None
    if body_id and body is None:
        raise ValueError(body_id)
    return {"search": (request.GET.get("q") or "").strip()[:100], "body": body,
            "topic_id": int(request.GET.get("topic") or 0) or None,
            "item_type": (request.GET.get("type") or "")[:50],
            "year": int(request.GET.get("year") or 0) or None,
            "validity": (request.GET.get("validity") or "")[:20]}


@require_GET
def platform(request: HttpRequest) -> HttpResponse:
    """The unified 政府信息公开平台 (条例第24条, DS-14): 检索 over every body's catalogue of the
    cluster, 查阅 each item at its address, 下载 its attachments and the list itself (CSV)."""
    from govsites.content.models import Topic

    bodies = DisclosureBody.objects.select_related("organisation")
    try:
        filters = _platform_filters(request)
        page_number = int(request.GET.get("page") or 1)
    except ValueError:
        return render(request, "disclosure/platform.html", _context(
            request, bodies=bodies, error="检索条件不正确。"), status=400)
    rows = library.platform_catalogue(**filters)
    page = Paginator(rows, CATALOGUE_PAGE_SIZE).get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "disclosure/platform.html", _context(
        request, bodies=bodies, page=page, query=query.urlencode(),
        topics=Topic.objects.filter(parent__isnull=True).order_by("pk"),
        types=CATALOGUE_TYPES, validities=CATALOGUE_VALIDITIES,
        years=list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        selected={**filters, "body": filters["body"].pk if filters["body"] else None}))


@require_GET
def platform_csv(request: HttpRequest) -> HttpResponse:
    """下载: the unified platform's result list as CSV (索引号, 名称, 发布机构, 生成日期, 地址)."""
    import csv

    try:
        filters = _platform_filters(request)
    except ValueError:
        raise Http404("检索条件不正确") from None
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM
    writer = csv.writer(response)
    writer.writerow(["索引号", "名称", "发布机构", "生成日期", "地址"])
    for item in library.platform_catalogue(**filters)[:PLATFORM_CSV_LIMIT]:
        publisher = item.publisher or item.owner_organisation
        writer.writerow([item.index_no, item.title, publisher.name if publisher else "",
                         timezone.localtime(item.first_published_at).date().isoformat()
                         if item.first_published_at else "", item.full_url or ""])
    return response


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, body_id: int) -> HttpResponse:
    """The online application form; a filed request waits for the office's confirmation."""
    body = _body(body_id)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimit.seconds_to_wait(request, scope="disclosure.apply",
                                         limit=apply_limit(request))
        if wait:
            response = render(request, "disclosure/apply.html", _context(
                request, body=body, form=form,
                error=f"提交过于频繁，请{wait}秒后再试。"), status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                case = services.submit_online_request(
                    body=body, applicant_type=form.cleaned_data["applicant_type"],
                    organisation_subtype=form.cleaned_data["organisation_subtype"],
                    applicant=form.applicant(), content=form.content())
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                return render(request, "disclosure/applied.html",
                              _context(request, body=body, case=case))
        return render(request, "disclosure/apply.html", _context(request, body=body, form=form),
                      status=400)
    return render(request, "disclosure/apply.html", _context(request, body=body, form=form))


def _case_by_code(reference: str, code: str) -> DisclosureRequest | None:
    case = DisclosureRequest.objects.select_related("body__organisation").filter(
        reference=reference.strip()).first()
    if case is None or not code or case.query_code != code.strip():
        return None
    return case


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """An applicant looks up a request by its number and query code (both or nothing)."""
    form = StatusForm(request.GET or None)
    case = None
    error = ""
    if request.GET and form.is_valid():
        wait = ratelimit.seconds_to_wait(request, scope="disclosure.status",
                                         limit=status_limit(request))
        if wait:
            return render(request, "disclosure/status.html", _context(
                request, form=form, error=f"查询过于频繁，请{wait}秒后再试。"), status=429)
        case = _case_by_code(form.cleaned_data["reference"], form.cleaned_data["query_code"])
        if case is None:
            error = "申请编号或查询码不正确。"
    return render(request, "disclosure/status.html", _context(
        request, form=form, case=case, error=error, replied=RequestState.REPLIED),
        status=404 if error else 200)


@require_GET
def notice_pdf(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    """The 告知书 of a replied request, as PDF, for its applicant."""
    case = _case_by_code(reference, code)
    if case is None or case.state != RequestState.REPLIED or not case.notice_text:
        raise Http404("没有这份告知书")
    response = HttpResponse(notices.render_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    return response


@require_GET
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The information provided by download, while the link is valid (条例第40条)."""
    case = (DisclosureRequest.objects.select_related("delivered_document")
            .filter(download_token=token).exclude(download_token="").first())
    if case is None or case.delivered_document is None:
        raise Http404("下载链接无效")
    if case.download_expires_at is None or case.download_expires_at < timezone.now():
        return render(request, "disclosure/expired.html", _context(request), status=410)
    document = case.delivered_document
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.filename)


def _published(body_id: int, year: int) -> Any:
    body = _body(body_id)
    report = selectors.published_report(body, year)
    if report is None:
        raise Http404("该年度报告尚未发布")
    return report


@require_GET
def annual_report(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    """A published annual report in the national layout."""
    return HttpResponse(reports.render_html(_published(body_id, year)))


@require_GET
def annual_report_pdf(request: HttpRequest, body_id: int, year: int) -> HttpResponse:
    report = _published(body_id, year)
    response = HttpResponse(reports.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{year}.pdf"'
    return response

