"""Admin: 政务舆情 — the register of public-opinion events with their response clocks (IA-11)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import opinion, policies
from .models import OpinionEvent

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"})


class EventForm(forms.Form):
    site = forms.TypedChoiceField(label="回应网站", coerce=int)
    title = forms.CharField(label="舆情事项", max_length=200)
    detected_at = forms.DateTimeField(label="发现时间", widget=MOMENT)
    major_emergency = forms.BooleanField(label="重大突发事件", required=False)
    summary = forms.CharField(label="舆情概况", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


def _moment(request: HttpRequest, name: str) -> Any:
    field = forms.DateTimeField(required=True, error_messages={
        "required": "请填写时间。", "invalid": "时间格式不正确。"})
    return field.clean(request.POST.get(name, ""))


def events(request: HttpRequest) -> HttpResponse:
    """List the events of the sites the user may see, with their clocks; record and close."""
    user: Any = request.user
    if not policies.has_operations_role(user):
        raise PermissionDenied
    sites = list(policies.visible_sites(user))
    which = request.POST.get("form", "")
    form = EventForm(request.POST if which == "event" else None)
    site_field = form.fields["site"]
    assert isinstance(site_field, forms.TypedChoiceField)
    site_field.choices = [(s.pk, s.name) for s in sites]
    try:
        if which == "event" and form.is_valid():
            data = form.cleaned_data
            site = policies.get_site_for(user=user, site_id=data.pop("site"))
            opinion.record_event(site=site, acting_user=user, **data)
            messages.success(request, "政务舆情已登记。")
            return redirect("operations_opinion")
        if which in ("conference", "response"):
            event = OpinionEvent.objects.filter(
                pk=request.POST.get("event", "0") or 0, site__in=sites).first()
            if event is None:
                raise PermissionDenied
            if which == "conference":
                opinion.record_press_conference(event=event, acting_user=user,
                                                held_at=_moment(request, "at"))
                messages.success(request, "新闻发布会已登记。")
            else:
                opinion.record_response(event=event, acting_user=user,
                                        responded_at=_moment(request, "at"),
                                        response=request.POST.get("response", ""),
                                        response_url=request.POST.get("response_url", ""))
                messages.success(request, "回应已登记。")
            return redirect("operations_opinion")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    now = timezone.now()
    rows = [{"event": event, "clocks": [(c, c.late(now)) for c in opinion.clocks(event)]}
            for event in OpinionEvent.objects.filter(site__in=sites).select_related("site")[:200]]
    return render(request, "operations/admin/opinion.html", {"form": form, "rows": rows})
