"""The public's 在线访谈 pages: the list, one interview (ask, read the live Q&A), its JSON feed.

While an interview is live its page polls `live.json` and redraws the questions and answers
without reloading; the same list is in the HTML, so nothing depends on the script.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import captcha, interviews, selectors
from .forms import InterviewQuestionForm
from .models import Interview
from .views import _apply_errors, _posted_form_wait, _profile, _too_many, citizen_initial

POLL_SECONDS = 5


@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """A site's interviews: live now, coming (ask in advance), past (transcripts)."""
    profile = _profile(request)
    items = list(selectors.public_interviews(profile))
    return render(request, "interaction/interviews.html", {
        "site_profile": profile,
        "live_items": [i for i in items if i.state() == "live"],
        "upcoming_items": [i for i in items if i.state() == "upcoming"],
        "ended_items": [i for i in items if i.state() == "ended"]})


def _interview(request: HttpRequest, interview_id: int) -> tuple[Any, Interview]:
    profile = _profile(request)
    interview = selectors.public_interviews(profile).filter(pk=interview_id).first()
    if interview is None:
        raise Http404("没有这次访谈")
    return profile, interview


@never_cache
@require_http_methods(["GET", "POST"])
def interview_detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    """One interview: guests and time, the question form until it ends, the published Q&A."""
    profile, interview = _interview(request, interview_id)
    form = InterviewQuestionForm(request.POST or None,
                        initial=citizen_initial(request, fields=("name",)))
    thanks = False
    if request.method == "POST":
        wait = _posted_form_wait(request, form, "interaction.interview")
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid():
            try:
                interviews.submit_question(interview=interview,
                                           content=form.cleaned_data["content"],
                                           name=form.cleaned_data["name"] or "")
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                thanks, form = True, InterviewQuestionForm()
    state = interview.state()
    return render(request, "interaction/interview.html", {
        "site_profile": profile, "interview": interview, "state": state, "form": form,
        "thanks": thanks, "feed": selectors.interview_feed(interview),
        "poll_seconds": POLL_SECONDS, "question": captcha.new_question(request)},
        status=400 if form.errors else 200)


@never_cache
@require_GET
def interview_live(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The published questions and answers as JSON, polled by the live page."""
    _unused, interview = _interview(request, interview_id)
    return JsonResponse({"state": interview.state(),
                         "items": selectors.interview_feed(interview)},
                        json_dumps_params={"ensure_ascii": False})
