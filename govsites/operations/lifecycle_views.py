"""Admin: 网站变更 — request opening, suspension, resumption, closing or migration; approve."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import lifecycle, policies
from .models import ChangeAction, ChangeStatus, SiteChange


class ChangeForm(forms.Form):
    """申请网站变更."""

    site = forms.TypedChoiceField(label="网站", coerce=int)
    action = forms.ChoiceField(label="事项", choices=ChangeAction.choices)
    justification = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 2}))
    notice = forms.CharField(label="公告内容", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="下线、关停或迁移期间网站上显示的公告")
    starts_on = forms.DateField(label="开始日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                help_text="临时下线的开始日期；恢复上线为计划恢复上线的日期")
    ends_on = forms.DateField(label="计划恢复日期", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.TypedChoiceField(label="迁入网站", coerce=int, required=False, empty_value=None)
    counted = forms.BooleanField(label="计入临时下线次数", required=False, initial=True,
                                 help_text="不可抗力或责令关停的临时下线不计入")
    approval_reference = forms.CharField(
        label="上级同意文件文号", required=False, max_length=100,
        help_text="临时下线超过规则时长（亳州：24小时）须经省级政府办公厅同意时填写")
    self_check = forms.CharField(label="自查情况", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="恢复上线须提前申请并填写自查情况（亳州：提前7天）")

    def __init__(self, *args: Any, sites: list[Any], targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field, target_field = self.fields["site"], self.fields["target"]
        assert isinstance(site_field, forms.TypedChoiceField)
        assert isinstance(target_field, forms.TypedChoiceField)
        site_field.choices = [(s.pk, f"{s.name}（{s.get_status_display()}）") for s in sites]
        target_field.choices = [("", "—")] + [(s.pk, s.name) for s in targets]


def _change_for(request: HttpRequest, change_id: int) -> SiteChange:
    change = SiteChange.objects.select_related("site").filter(pk=change_id).first()
    if change is None or not policies.visible_sites(request.user).filter(
            pk=change.site_id).exists():
        raise PermissionDenied
    return change


def changes(request: HttpRequest) -> HttpResponse:
    """The requests of the sites the user may see, and the form to make one."""
    if not policies.has_operations_role(request.user):
        raise PermissionDenied
    sites = list(policies.visible_sites(request.user))
    from govsites.sites.selectors import all_sites

    targets = list(all_sites().filter(status="online"))
    form = ChangeForm(request.POST or None, sites=sites, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = policies.get_site_for(user=request.user, site_id=data["site"])
        target = next((t for t in targets if t.pk == data["target"]), None)
        try:
            lifecycle.request_site_change(
                site=site, action=data["action"], justification=data["justification"],
                notice=data["notice"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                target=target, counted=data["counted"],
                approval_reference=data["approval_reference"], self_check=data["self_check"],
                acting_user=request.user)
        except lifecycle.ChangeRefused as exc:
            messages.error(request, "；".join(str(m) for m in exc.messages))
        else:
            messages.success(request, "申请已提交，待审批。")
            return redirect("operations_site_changes")
    rows = SiteChange.objects.filter(site__in=sites).select_related(
        "site", "target", "requested_by", "decided_by")[:200]
    return render(request, "operations/admin/site_changes.html", {
        "form": form, "changes": rows, "pending": ChangeStatus.PENDING,
        "can_decide": policies.can_decide_site_changes(request.user)})


@require_POST
def decide(request: HttpRequest, change_id: int, verdict: str) -> HttpResponse:
    """批准 or 不予批准 a pending request."""
    change = _change_for(request, change_id)
    if not policies.can_decide_site_changes(request.user) or verdict not in ("approve", "reject"):
        raise PermissionDenied
    try:
        lifecycle.decide_site_change(change=change, approve=verdict == "approve",
                                     acting_user=request.user, note=request.POST.get("note", ""))
    except lifecycle.ChangeRefused as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
    else:
        messages.success(request, "已审批。")
    return redirect("operations_site_changes")
