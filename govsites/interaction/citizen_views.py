"""我的留言/我的办件 (PA-15): a logged-in citizen's own messages and 找错 reports on every site
of the cluster, without query codes; opening one of this site's messages follows it as the
query code would. Nothing personal is shown: subjects are the redacted ones."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from govsites.accounts.citizens import current_citizen

from . import selectors
from .views import FOLLOW_SESSION_KEY, _profile

LOGIN = "/_govsites/account/login/"


@never_cache
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    profile = _profile(request)
    citizen = current_citizen(request)
    if citizen is None:
        return HttpResponseRedirect(f"{LOGIN}?" + urlencode(
            {"next": reverse("interaction:mine")}))
    return render(request, "interaction/mine.html", {
        "site_profile": profile, "citizen": citizen,
        "enquiries": selectors.citizen_enquiries(citizen)[:200],
        "reports": selectors.citizen_error_reports(citizen)[:200]})


@never_cache
@require_POST
def follow_mine(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    """Follow one of the citizen's own messages on this site (rate it, ask to reopen)."""
    profile = _profile(request)
    citizen = current_citizen(request)
    enquiry = selectors.open_or_any_enquiry(enquiry_id, profile) if citizen else None
    if enquiry is None or enquiry.citizen_id != citizen.pk:  # type: ignore[union-attr]
        raise Http404("没有这条留言")
    request.session[FOLLOW_SESSION_KEY] = enquiry.pk
    return HttpResponseRedirect(reverse("interaction:follow"))
