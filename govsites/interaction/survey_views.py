"""The public's 在线调查 pages: the list, one survey with its form, its results after closing.

One response per person: the page sets a signed cookie once someone has answered (and counts
a logged-in citizen by account); responses a minute per client are the rule parameter
`interaction.survey.responses_per_minute`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from govsites import rules
from govsites.accounts.citizens import current_citizen
from govsites.core import ratelimit

from . import selectors, surveys
from .choices import QuestionKind
from .exceptions import NotAllowed, TransitionRefused
from .models import Survey
from .views import _profile, _too_many


def response_limit(profile: Any) -> int:
    """Responses a minute one client may send to this site's surveys (0: no limit)."""
    return int(rules.value("interaction.survey.responses_per_minute", site=profile))


def survey_form(survey: Survey, data: Any = None) -> forms.Form:
    """A form with one field per question (q<id>); the service validates the answers again."""
    fields: dict[str, forms.Field] = {}
    messages = {"required": _("这道题必须回答。"), "invalid_choice": _("请从给出的选项中选择。")}
    for question in survey.questions.all():
        choices = [(str(i), label) for i, label in enumerate(question.option_list)]
        name = f"q{question.pk}"
        if question.kind == QuestionKind.SINGLE:
            fields[name] = forms.ChoiceField(label=question.text, choices=choices,
                                             required=question.required,
                                             widget=forms.RadioSelect,
                                             error_messages=messages)
        elif question.kind == QuestionKind.MULTIPLE:
            fields[name] = forms.MultipleChoiceField(label=question.text, choices=choices,
                                                     required=question.required,
                                                     widget=forms.CheckboxSelectMultiple,
                                                     error_messages=messages)
        else:
            fields[name] = forms.CharField(label=question.text, required=question.required,
                                           max_length=surveys.MAX_TEXT_ANSWER,
                                           widget=forms.Textarea(attrs={"rows": 4}),
                                           error_messages=messages)
    form_class = type("SurveyForm", (forms.Form,), fields)
    return form_class(data)


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """A site's surveys: open ones first, then closed ones with their results."""
    profile = _profile(request)
    items = list(selectors.public_surveys(profile))
    return render(request, "interaction/surveys.html", {
        "site_profile": profile,
        "open_items": [s for s in items if s.state() == "open"],
        "closed_items": [s for s in items if s.state() == "closed"]})


def _charts(results: selectors.SurveyResults) -> str:
    specs = [{"id": f"survey-chart-{q.question_id}", "title": q.text,
              "categories": [o.label for o in q.options], "values": [o.count for o in q.options]}
             for q in results.questions if q.options]
    import json

    # Inside <script type="application/json">: escape "<" so no text can close the element.
    return json.dumps(specs, ensure_ascii=False, cls=DjangoJSONEncoder).replace("<", "\\u003c")


@never_cache
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """One survey: the questions while open, a thank-you once answered, results after closing."""
    profile = _profile(request)
    survey = selectors.public_surveys(profile).filter(pk=survey_id).first()
    if survey is None:
        raise Http404("没有这项调查")
    cookie = surveys.cookie_name(survey)
    token = request.get_signed_cookie(cookie, default="", salt=surveys.COOKIE_SALT) or ""
    user = request.user if request.user.is_authenticated else None
    citizen = current_citizen(request)
    answered = surveys.has_responded(survey=survey, user=user, token=token, citizen=citizen)
    state = survey.state()
    form = survey_form(survey, request.POST if request.method == "POST" else None)
    new_token = ""
    status = 200
    if request.method == "POST":
        wait = ratelimit.seconds_to_wait(request, scope="interaction.survey",
                                         limit=response_limit(profile))
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid():
            new_token = token or surveys.new_token()
            raw = {key[1:]: value for key, value in form.cleaned_data.items()}
            try:
                surveys.submit_response(survey=survey, answers=raw, acting_user=user,
                                        token=new_token, citizen=citizen)
            except (TransitionRefused, NotAllowed) as exc:
                form.add_error(None, exc.messages)
                new_token = ""
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, messages in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    form.add_error(None, exc.messages)
                new_token = ""
            else:
                answered = True
        status = 400 if form.errors else 200
    results = selectors.survey_results(survey) if state == "closed" else None
    response = render(request, "interaction/survey.html", {
        "site_profile": profile, "survey": survey, "state": state, "form": form,
        "answered": answered, "thanks": bool(new_token), "results": results,
        "login_needed": survey.login_required and user is None and citizen is None,
        "charts_json": _charts(results) if results else "[]"}, status=status)
    if new_token:
        response.set_signed_cookie(cookie, new_token, salt=surveys.COOKIE_SALT,
                                   max_age=surveys.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                                   secure=request.is_secure())
    return response
