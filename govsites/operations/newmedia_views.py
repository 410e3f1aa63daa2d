"""Admin: 政务新媒体 — the registry of accounts, monthly counts, update checks and alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import newmedia, policies
from .models import NewMediaAccount, NewMediaAlert


class AccountForm(forms.ModelForm):
    """登记账号 (the organisation is chosen among those the user may act for)."""

    class Meta:
        model = NewMediaAccount
        fields = ["organisation", "platform", "name", "handle", "filing_status", "filing_number",
                  "opened_on", "responsible_person", "responsible_phone", "feed_url", "followers"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"})}


class CountForm(forms.Form):
    """按月填报发布条数."""

    account = forms.TypedChoiceField(label="账号", coerce=int)
    month = forms.DateField(label="月份", widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    posts = forms.IntegerField(label="发布条数", min_value=0)
    last_post_on = forms.DateField(label="当月最后发布日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


def _organisations(user: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    for site in policies.visible_sites(user):
        seen.setdefault(site.host_organisation_id, site.host_organisation)
    return list(seen.values())


def accounts(request: HttpRequest) -> HttpResponse:
    """The accounts of the organisations the user may see, with their alerts and forms."""
    if not policies.has_operations_role(request.user):
        raise PermissionDenied
    orgs = _organisations(request.user)
    rows = list(NewMediaAccount.objects.filter(organisation__in=orgs).select_related("organisation"))
    form = AccountForm(request.POST if request.POST.get("form") == "account" else None)
    form.fields["organisation"].queryset = form.fields["organisation"].queryset.filter(  # type: ignore[attr-defined]
        pk__in=[o.pk for o in orgs])
    count_form = CountForm(request.POST if request.POST.get("form") == "count" else None)
    count_field = count_form.fields["account"]
    assert isinstance(count_field, forms.TypedChoiceField)
    count_field.choices = [(a.pk, str(a)) for a in rows]
    if request.method == "POST":
        try:
            if request.POST.get("form") == "account" and form.is_valid():
                newmedia.register_account(acting_user=request.user, **form.cleaned_data)
                messages.success(request, "账号已登记。")
                return redirect("operations_new_media")
            if request.POST.get("form") == "count" and count_form.is_valid():
                data = count_form.cleaned_data
                chosen = next(a for a in rows if a.pk == data["account"])
                newmedia.record_monthly_count(account=chosen, month=data["month"],
                                              posts=data["posts"],
                                              last_post_on=data["last_post_on"],
                                              acting_user=request.user)
                messages.success(request, "已填报。")
                return redirect("operations_new_media")
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    alerts = NewMediaAlert.objects.filter(account__in=rows, closed_at__isnull=True).select_related(
        "account")
    return render(request, "operations/admin/new_media.html", {
        "accounts": rows, "form": form, "count_form": count_form, "alerts": alerts})


@require_POST
def check_now(request: HttpRequest, account_id: int) -> HttpResponse:
    """立即检查 one account's updates."""
    orgs = _organisations(request.user)
    account = NewMediaAccount.objects.filter(pk=account_id, organisation__in=orgs).first()
    if account is None or not policies.has_operations_role(request.user):
        raise PermissionDenied
    result = newmedia.check_account(account, reader=newmedia.HttpFeedReader())
    if result.alert is not None:
        messages.warning(request, f"{account}：{result.alert.message}")
    else:
        messages.success(request, f"{account}：更新正常。")
    return redirect("operations_new_media")
