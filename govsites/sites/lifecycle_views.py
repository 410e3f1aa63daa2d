"""Admin: 单位与网站 → 开办备案与时限 — the data bureau's record of each site's 开办批准,
管理备案, 网站标识 and domain clocks, registry-change filings and closure cancellations.

Views parse a form and call one service of `lifecycle`; who may see and write is
`policies.can_view_registry` / `policies.can_edit_site`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import lifecycle, policies, selectors
from .choices import ClockKind, ClosureStep, FilingKind
from .models import SiteClock, SiteProfile

_DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=_DATE, initial=timezone.localdate)


class FilingForm(forms.Form):
    kind = forms.ChoiceField(label="备案事项", choices=FilingKind.choices)
    reference = forms.CharField(label="备案号或文号", max_length=100, required=False)
    filed_on = _date("备案日期")


class ApprovalForm(forms.Form):
    approved_on = _date("批准日期")
    reference = forms.CharField(label="批准文号", max_length=100)


class MarkApplicationForm(forms.Form):
    submitted_on = _date("提交申请日期")
    reference = forms.CharField(label="申请编号", max_length=100, required=False)


class MarkMaterialsForm(forms.Form):
    received_on = _date("机构编制部门收到纸质材料日期")


class DomainVerificationForm(forms.Form):
    domain = forms.CharField(label="域名", max_length=253)
    operation = forms.ChoiceField(label="办理事项", choices=list(lifecycle.DOMAIN_OPERATIONS.items()))
    verified_on = _date("核验通过日期")


class RegistryChangeForm(forms.Form):
    changes = forms.MultipleChoiceField(label="变更事项", choices=list(
        lifecycle.UNRECORDED_CHANGES.items()), widget=forms.CheckboxSelectMultiple)
    changed_on = _date("变更日期")
    description = forms.CharField(label="变更情况", widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    clock = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = _date("完成日期")
    reference = forms.CharField(label="文号或编号", max_length=100, required=False)
    notice_text = forms.CharField(label="公告内容", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="须向社会公告的登记信息变更，报备时填写公告内容")


class ClosureStepForm(forms.Form):
    step = forms.ChoiceField(label="注销事项", choices=ClosureStep.choices)
    done_on = _date("办理日期")
    reference = forms.CharField(label="文号", max_length=100, required=False)


def _clock_for(site: SiteProfile, clock_id: int) -> SiteClock:
    clock = SiteClock.objects.select_related("site").filter(pk=clock_id, site=site).first()
    if clock is None:
        raise ValidationError("没有该时限事项。")
    return clock


#: action name → (form class, the service call with the form's cleaned data).
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], str]] = {
    "filing": (FilingForm, lambda site, user, d: lifecycle.record_filing(
        site=site, acting_user=user, kind=d["kind"], filed_on=d["filed_on"],
        reference=d["reference"]), "已登记管理备案。"),
    "approval": (ApprovalForm, lambda site, user, d: lifecycle.record_opening_approval(
        site=site, acting_user=user, approved_on=d["approved_on"], reference=d["reference"]),
        "已登记开办批准，达标上线期限开始计算。"),
    "mark_application": (MarkApplicationForm, lambda site, user, d:
                         lifecycle.record_mark_application(
                             site=site, acting_user=user, submitted_on=d["submitted_on"],
                             reference=d["reference"]), "已登记网站标识申请。"),
    "mark_materials": (MarkMaterialsForm, lambda site, user, d: lifecycle.record_mark_materials(
        site=site, acting_user=user, received_on=d["received_on"]), "已登记收到纸质材料。"),
    "domain": (DomainVerificationForm, lambda site, user, d:
               lifecycle.record_domain_verification(
                   site=site, acting_user=user, domain=d["domain"], operation=d["operation"],
                   verified_on=d["verified_on"]), "已登记域名核验。"),
    "registry_change": (RegistryChangeForm, lambda site, user, d:
                        lifecycle.record_registry_change(
                            site=site, acting_user=user, fields=d["changes"],
                            changed_on=d["changed_on"], description=d["description"]),
                        "已登记变更，报备期限开始计算。"),
    "complete": (CompleteForm, lambda site, user, d: lifecycle.complete_clock(
        clock=_clock_for(site, d["clock"]), acting_user=user, completed_on=d["completed_on"],
        reference=d["reference"], notice_text=d["notice_text"]), "已登记办结。"),
    "closure_step": (ClosureStepForm, lambda site, user, d: lifecycle.record_closure_step(
        site=site, acting_user=user, step=d["step"], done_on=d["done_on"],
        reference=d["reference"]), "已登记注销事项。"),
}


def _row(clock: SiteClock, today: dt.date) -> dict[str, Any]:
    if not clock.is_open:
        state = "逾期办结" if clock.completed_late else "已办结"
    elif clock.kind == ClockKind.DOMAIN_NOTICE:
        state = "公告期满，可注销原域名" if clock.due_on and today >= clock.due_on else "公告中"
    elif clock.due_on is None:
        state = "办理中（本市规则未规定期限）"
    elif today > clock.due_on:
        state = "已超期"
    else:
        state = "办理中"
    return {"clock": clock, "state": state, "overdue": state == "已超期",
            "steps_left": (lifecycle.closure_steps_left(clock)
                           if clock.kind == ClockKind.CLOSURE and clock.is_open else [])}


def overview(request: HttpRequest) -> HttpResponse:
    """Every open clock of the cluster, the earliest deadline first, and the sites."""
    if not policies.can_view_registry(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(request, "sites/admin/lifecycle_overview.html", {
        "rows": [_row(c, today) for c in selectors.open_clocks()],
        "sites": selectors.all_sites(), "today": today})


def site_lifecycle(request: HttpRequest, site_id: int) -> HttpResponse:
    """One site: its filings, clocks and notices, and the forms that record each step."""
    if not policies.can_view_registry(request.user):
        raise PermissionDenied
    site = selectors.all_sites().filter(pk=site_id).first()
    if site is None:
        raise PermissionDenied
    can_edit = policies.can_edit_site(request.user, site)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    if posted:
        if not can_edit or posted not in ACTIONS:
            raise PermissionDenied
        form_class, call, done = ACTIONS[posted]
        form = form_class(request.POST, prefix=posted)
        if form.is_valid():
            try:
                call(site, request.user, form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, done)
                return redirect("sites_lifecycle_site", site_id=site.pk)
        else:
            messages.error(request, "；".join(f"{form.fields[f].label if f in form.fields else ''}"
                                             f"{'：' if f in form.fields else ''}{e}"
                                             for f, errs in form.errors.items() for e in errs))
    today = timezone.localdate()
    data = selectors.lifecycle_of(site)
    return render(request, "sites/admin/lifecycle_site.html", {
        "site": site, "can_edit": can_edit, "today": today,
        "filings": data["filings"], "notices": data["notices"],
        "rows": [_row(c, today) for c in data["clocks"]],
        "missing": lifecycle.opening_problems(site),
        "forms": {name: spec[0](prefix=name) for name, spec in ACTIONS.items()
                  if name != "complete"},
        "complete_form": CompleteForm(prefix="complete")})
