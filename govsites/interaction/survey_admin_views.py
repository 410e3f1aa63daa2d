"""Admin: 在线调查 (the list with response counts and results, and the CSV/XLSX export).

The questionnaire itself is built in the snippet editor (wagtail_hooks.SurveyViewSet).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import policies, selectors, surveys
from .models import Survey


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    if not request.user.is_authenticated:
        raise Http404
    survey = Survey.objects.select_related("site", "organisation").filter(pk=survey_id).first()
    if survey is None or not policies.can_manage_survey(request.user, survey):
        raise Http404("没有这项调查")
    return survey


def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys of the user's organisation: dates, state, responses, results and export."""
    if not request.user.is_authenticated:
        raise Http404
    scope = policies.read_scope(request.user)
    queryset = Survey.objects.select_related("site", "organisation").annotate(
        response_count=Count("responses"))
    if not scope.everywhere:
        queryset = queryset.filter(organisation_id__in=scope.organisation_ids)
    return render(request, "interaction/admin/survey_list.html", {
        "items": list(queryset), "today": timezone.localdate()})


def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """One survey's results so far (staff see them before the survey closes)."""
    survey = _survey(request, survey_id)
    return render(request, "interaction/admin/survey_detail.html", {
        "survey": survey, "results": selectors.survey_results(survey)})


def survey_export(request: HttpRequest, survey_id: int, fmt: str) -> HttpResponse:
    """Download every response as CSV or XLSX (audited)."""
    survey = _survey(request, survey_id)
    try:
        data = surveys.export_responses(survey=survey, acting_user=request.user, fmt=fmt)
    except ValidationError:
        raise Http404 from None
    content_type = ("text/csv; charset=utf-8" if fmt == "csv" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
