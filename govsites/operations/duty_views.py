"""Admin: 值班与安全 — the duty roster with 读网 and handover, security incidents, drills."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import duty, policies
from .models import DutyShift, EmergencyDrill, IncidentSeverity, IncidentSource, SecurityIncident

DATE = forms.DateInput(attrs={"type": "date"})
GAP_DAYS_SHOWN = 7  # the screen lists the last week's days without duty or 读网 (RS-23)


class ShiftForm(forms.Form):
    day = forms.DateField(label="值班日期", widget=DATE)
    web_reading_done = forms.BooleanField(label="已完成读网", required=False)
    reading_notes = forms.CharField(label="读网发现", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    handover_notes = forms.CharField(label="交接班记录", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(forms.Form):
    site = forms.TypedChoiceField(label="网站", coerce=int)
    detected_at = forms.DateTimeField(label="发现时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    source = forms.ChoiceField(label="发现途径", choices=IncidentSource.choices)
    severity = forms.ChoiceField(label="级别", choices=IncidentSeverity.choices)
    summary = forms.CharField(label="事件概况", widget=forms.Textarea(attrs={"rows": 2}))


class DrillForm(forms.Form):
    held_on = forms.DateField(label="演练日期", widget=DATE)
    scenario = forms.CharField(label="演练场景", max_length=200)
    participants = forms.IntegerField(label="参加人数", min_value=0, initial=0)
    findings = forms.CharField(label="发现问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    improvements = forms.CharField(label="改进措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def records(request: HttpRequest) -> HttpResponse:
    """The three record books of the user's organisation (and the sites they may see)."""
    user: Any = request.user
    if not policies.has_operations_role(user) or user.organisation_id is None:
        raise PermissionDenied
    sites = list(policies.visible_sites(user))
    which = request.POST.get("form", "")
    shift_form = ShiftForm(request.POST if which == "shift" else None,
                           initial={"day": timezone.localdate()})
    incident_form = IncidentForm(request.POST if which == "incident" else None)
    site_field = incident_form.fields["site"]
    assert isinstance(site_field, forms.TypedChoiceField)
    site_field.choices = [(s.pk, s.name) for s in sites]
    drill_form = DrillForm(request.POST if which == "drill" else None)
    try:
        if which == "shift" and shift_form.is_valid():
            duty.record_shift(organisation=user.organisation, officer=user, acting_user=user,
                              **shift_form.cleaned_data)
            messages.success(request, "值班记录已保存。")
            return redirect("operations_duty")
        if which == "incident" and incident_form.is_valid():
            data = incident_form.cleaned_data
            site = policies.get_site_for(user=user, site_id=data.pop("site"))
            duty.record_incident(site=site, acting_user=user, **data)
            messages.success(request, "安全事件已登记。")
            return redirect("operations_duty")
        if which == "close":
            incident = SecurityIncident.objects.filter(
                pk=request.POST.get("incident", "0") or 0, site__in=sites).first()
            if incident is None:
                raise PermissionDenied
            duty.close_incident(incident=incident, response=request.POST.get("response", ""),
                                acting_user=user)
            messages.success(request, "已登记处置完毕。")
            return redirect("operations_duty")
        if which == "drill" and drill_form.is_valid():
            duty.record_drill(organisation=user.organisation, acting_user=user,
                              **drill_form.cleaned_data)
            messages.success(request, "应急演练已登记。")
            return redirect("operations_duty")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    today = timezone.localdate()
    shortfalls = duty.drill_shortfalls(today.year, organisation=user.organisation)
    gaps = duty.duty_gaps(today - dt.timedelta(days=GAP_DAYS_SHOWN), today - dt.timedelta(days=1),
                          organisation=user.organisation)
    return render(request, "operations/admin/duty.html", {
        "drill_shortfalls": shortfalls, "duty_gaps": gaps,
        "shift_form": shift_form, "incident_form": incident_form, "drill_form": drill_form,
        "shifts": DutyShift.objects.filter(organisation=user.organisation).select_related(
            "officer")[:60],
        "incidents": SecurityIncident.objects.filter(site__in=sites).select_related("site")[:100],
        "drills": EmergencyDrill.objects.filter(organisation=user.organisation)[:50]})
