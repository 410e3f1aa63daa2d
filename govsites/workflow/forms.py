"""Forms of the review chain: the workflow action modals and the force publication reason.

Wagtail builds the action forms with the POST data only, so the modal templates post the
step's id (`task_state_id`) and the forms look the step up to say, inside the modal, what
would otherwise be a refusal: an unexplained finding, or a last step that cannot publish.
The services check the same again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

from .models import ReviewTaskState
from .models.tasks import OVERRIDE_PREFIX


class _StepForm(forms.Form):
    task_state_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def step(self) -> ReviewTaskState | None:
        state_id = self.cleaned_data.get("task_state_id")
        if not state_id:
            return None
        state = ReviewTaskState.objects.filter(pk=state_id).select_related("workflow_state").first()
        if state is None or state.status != TaskState.STATUS_IN_PROGRESS:
            return None
        return state


class ApproveForm(_StepForm):
    """审核通过, with an optional opinion."""

    comment = forms.CharField(label=_("审核意见"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        state = self.step()
        if state is not None:
            from .routing import is_final_step, item_under_review
            from .services import publishability_problem

            if is_final_step(state):
                problem = publishability_problem(item_under_review(state.workflow_state))
                if problem:
                    raise forms.ValidationError(
                        _("这是最后一步审核，通过后将发布，但该信息不能发布：%(why)s"),
                        params={"why": problem})
        return cleaned


class SecrecyApproveForm(ApproveForm):
    """Approve a step that carries 保密审查 (RS-09): the reviewer confirms it was done."""

    secrecy_confirmed = forms.BooleanField(
        label=_("已进行保密审查：该信息不涉及国家秘密，可以公开"), required=True,
        error_messages={"required": _("本步骤须进行保密审查，请确认后再通过。")})


class ScreeningApproveForm(ApproveForm):
    """Approve a screening step: every open finding needs a written reason."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        for key in (data or {}):
            if key.startswith(OVERRIDE_PREFIX) and key.removeprefix(OVERRIDE_PREFIX).isdigit():
                self.fields[key] = forms.CharField(required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        state = self.step()
        if state is None:
            return cleaned
        from .selectors import open_findings

        missing = 0
        for finding in open_findings(state):
            key = f"{OVERRIDE_PREFIX}{finding.pk}"
            if str(cleaned.get(key) or "").strip():
                continue
            missing += 1
            if key in self.fields:
                self.add_error(key, _("请填写忽略此问题的理由。"))
        if missing:
            raise forms.ValidationError(
                _("还有%(n)s处问题未填写理由：每一处问题都要写明为何可以发布。"),
                params={"n": missing})
        return cleaned


class RejectForm(_StepForm):
    """退回修改, with the opinion the submitter will read."""

    comment = forms.CharField(label=_("退回意见"), required=True,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("退回修改必须填写意见。")})


class ForcePublishForm(forms.Form):
    """The reason for a force publication (kept on the record and shown on the report)."""

    reason = forms.CharField(label=_("强制发布理由"), widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("强制发布必须填写理由。")})


class RetrospectiveApprovalForm(forms.Form):
    """事后审批 with an optional opinion."""

    comment = forms.CharField(label=_("审批意见"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
