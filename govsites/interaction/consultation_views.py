"""The public's 意见征集 pages: the list, one consultation with its comment form and 采纳情况."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import captcha, consultations
from .choices import CommentStatus
from .forms import CommentForm
from .views import _posted_form_wait, _profile, _too_many, citizen_initial


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    """A site's consultations: open ones first, then closed with their 采纳情况."""
    profile = _profile(request)
    items = list(consultations.public_consultations(profile))
    return render(request, "interaction/consultations.html", {
        "site_profile": profile,
        "open_items": [c for c in items if c.state() == "open"],
        "closed_items": [c for c in items if c.state() == "closed"]})


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """One consultation: the draft, published comments, the form while open, the 采纳情况."""
    profile = _profile(request)
    consultation = consultations.public_consultations(profile).filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404("没有这项意见征集")
    form = CommentForm(request.POST or None,
                        initial=citizen_initial(request, fields=("name",)))
    thanks = False
    if request.method == "POST":
        wait = _posted_form_wait(request, form, "interaction.comment")
        if wait:
            return _too_many(request, profile, wait)
        if form.is_valid():
            try:
                consultations.submit_comment(consultation=consultation,
                                             content=form.cleaned_data["content"],
                                             name=form.cleaned_data["name"] or "")
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                thanks, form = True, CommentForm()
    return render(request, "interaction/consultation.html", {
        "site_profile": profile, "consultation": consultation, "form": form, "thanks": thanks,
        "comments": consultation.comments.filter(status=CommentStatus.PUBLISHED),
        "question": captcha.new_question(request)}, status=400 if form.errors else 200)
