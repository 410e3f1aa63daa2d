"""Admin: 政务新媒体 — the registry of accounts, monthly counts, update checks and alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import newmedia, newmedia_checks, newmedia_filing, newmedia_push, policies
from .models import Ipv6Support, NewMediaAccount, NewMediaAlert, NewMediaFiling, NewMediaPush


class AccountForm(forms.ModelForm):
    """登记账号 (the organisation is chosen among those the user may act for)."""

    class Meta:
        model = NewMediaAccount
        fields = ["organisation", "platform", "name", "handle", "verified_name", "exception_reason",
                  "filing_status", "filing_number", "opened_on", "responsible_person",
                  "responsible_phone", "feed_url", "service_host", "ipv6_support", "followers"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ipv6_support"].required = False  # the daily check finds it from the host

    def clean_ipv6_support(self) -> str:
        return str(self.cleaned_data.get("ipv6_support") or Ipv6Support.UNKNOWN)


class CountForm(forms.Form):
    """按月填报发布条数."""

    account = forms.TypedChoiceField(label="账号", coerce=int)
    month = forms.DateField(label="月份", widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    posts = forms.IntegerField(label="发布条数", min_value=0)
    last_post_on = forms.DateField(label="当月最后发布日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))


class AssessForm(forms.Form):
    """检查结论 (NM-08): an optional 单项否决 with its evidence, and other findings."""

    account = forms.TypedChoiceField(label="账号", coerce=int)
    indicator = forms.ChoiceField(label="单项否决指标", required=False)
    evidence = forms.CharField(label="否决依据", required=False, max_length=300)
    findings = forms.CharField(label="其他问题（每行一条）", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


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
    assess_form = AssessForm(request.POST if request.POST.get("form") == "assess" else None)
    assess_account = assess_form.fields["account"]
    assert isinstance(assess_account, forms.TypedChoiceField)
    assess_account.choices = [(a.pk, str(a)) for a in rows]
    indicator_field = assess_form.fields["indicator"]
    assert isinstance(indicator_field, forms.ChoiceField)
    indicator_field.choices = [("", "无"), *(newmedia_checks.veto_indicators(rows[0]).items()
                                            if rows else [])]
    if request.method == "POST":
        try:
            done = _post(request, form, count_form, assess_form, rows)
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            if done:
                messages.success(request, done)
                return redirect("operations_new_media")
    latest = newmedia_checks.latest_assessments(rows)
    for row in rows:
        row.latest_assessment = latest.get(row.pk)  # type: ignore[attr-defined]
    alerts = NewMediaAlert.objects.filter(account__in=rows, closed_at__isnull=True).select_related(
        "account")
    return render(request, "operations/admin/new_media.html", {
        "accounts": rows, "form": form, "count_form": count_form, "alerts": alerts,
        "assess_form": assess_form if policies.can_assess_new_media(request.user) else None,
        "findings": newmedia_checks.registry_findings(rows),
        "filings": newmedia_filing.pending_filings(rows),
        "pushes": newmedia_push.pending_pushes(rows),
    })


def _post(request: HttpRequest, form: AccountForm, count_form: CountForm,
          assess_form: AssessForm, rows: list[NewMediaAccount]) -> str:
    """Carry out one posted form through its service; the success message ('' if invalid)."""
    which = request.POST.get("form")
    user = request.user
    mine = {a.pk: a for a in rows}
    if which == "account" and form.is_valid():
        newmedia.register_account(acting_user=user, **form.cleaned_data)
        return "账号已登记。"
    if which == "count" and count_form.is_valid():
        data = count_form.cleaned_data
        newmedia.record_monthly_count(account=mine[data["account"]], month=data["month"],
                                      posts=data["posts"], last_post_on=data["last_post_on"],
                                      acting_user=user)
        return "已填报。"
    if which == "declare":
        account = _pick(mine, request.POST.get("account"))
        newmedia_checks.declare_integrity(account=account, acting_user=user)
        return f"{account}：已登记承诺。"
    if which == "change":
        account = _pick(mine, request.POST.get("account"))
        changes = {key: request.POST[key].strip() for key in newmedia_filing.CHANGEABLE_FIELDS
                   if request.POST.get(key, "").strip()}
        newmedia_filing.request_change(account=account, acting_user=user, **changes)
        return f"{account}：已发起变更备案，备案完成后生效。"
    if which == "close":
        account = _pick(mine, request.POST.get("account"))
        newmedia_filing.request_closure(
            account=account, acting_user=user, reason=request.POST.get("reason", ""),
            closed_on=forms.DateField().clean(request.POST.get("closed_on")))
        return f"{account}：已发起关停注销备案。"
    if which == "filing_step":
        filing = NewMediaFiling.objects.filter(pk=_int(request.POST.get("filing")),
                                               account__in=rows).first()
        if filing is None:
            raise PermissionDenied
        newmedia_filing.record_filing_step(filing=filing, acting_user=user,
                                           reference=request.POST.get("reference", ""),
                                           form_file=request.FILES.get("form_file"))
        return f"{filing}：已办理。"
    if which == "push":
        push = NewMediaPush.objects.filter(pk=_int(request.POST.get("push")),
                                           account__in=rows).first()
        if push is None:
            raise PermissionDenied
        pushed_at = forms.DateTimeField().clean(request.POST.get("pushed_at"))
        newmedia_push.record_push(push=push, pushed_at=pushed_at, acting_user=user,
                                  post_url=request.POST.get("post_url", ""))
        return f"{push}：已登记推送。"
    if which == "assess" and assess_form.is_valid():
        if not policies.can_assess_new_media(user):
            raise PermissionDenied
        data = assess_form.cleaned_data
        vetoes = ([{"indicator": data["indicator"], "evidence": data["evidence"]}]
                  if data["indicator"] else [])
        result = newmedia_checks.assess_account(account=mine[data["account"]], acting_user=user,
                                                vetoes=vetoes,
                                                findings=data["findings"].splitlines())
        return f"{result.account}：{result.get_verdict_display()}。"
    return ""


def _int(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0


def _pick(mine: dict[int, NewMediaAccount], raw: str | None) -> NewMediaAccount:
    account = mine.get(_int(raw))
    if account is None:
        raise PermissionDenied
    return account


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
