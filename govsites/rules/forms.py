"""Admin forms of the rule set: an override with a reason, a variant choice, a withdrawal."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from .registry import Rule
from .selectors import sites, variant_titles

CLUSTER = ""
FOLLOW_CLUSTER = "__cluster__"


class _ChoicesForm(forms.Form):
    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


def _site_choices(*, cluster_label: str) -> list[tuple[str, str]]:
    return [(CLUSTER, cluster_label)] + [(str(s.pk), str(s)) for s in sites()]


class OverrideForm(_ChoicesForm):
    """Set one parameter's value for the cluster or one site; the reason is required."""

    key = forms.ChoiceField(label="参数")
    site = forms.ChoiceField(label="适用范围", required=False)
    value = forms.CharField(label="取值（JSON）", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="例如 14、0.05、true、[\".\", \"·\"]、{\"工作动态\": 7}；留空的参数写 null")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="必填：依据哪项规定或哪次决定作此调整（记入审计日志）")

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        self._choices("key", [(p.key, f"{p.label}（{p.key}）") for p in rule.params])
        self._choices("site", _site_choices(cluster_label="全站群"))

    def clean_value(self) -> Any:
        text = self.cleaned_data["value"].strip()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(
                "取值须为 JSON：数字（14）、是否（true/false）、文字（\"01-31\"）、列表或键值表") from None

    def site_id(self) -> int | None:
        value = self.cleaned_data.get("site") or CLUSTER
        return int(value) if value else None


class ClearOverrideForm(forms.Form):
    """Withdraw an override (back to the variant's or the national value), with a reason."""

    key = forms.CharField(widget=forms.HiddenInput)
    site = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label="撤销理由", max_length=2000)

    def site_id(self) -> int | None:
        value = self.cleaned_data.get("site") or ""
        return int(value) if value.isdigit() else None


class VariantChoiceForm(_ChoicesForm):
    """Choose the variant of the cluster, or of one site (or let a site follow the cluster)."""

    site = forms.ChoiceField(label="适用范围", required=False)
    variant = forms.ChoiceField(label="规则变体")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="必填：例如本市施行的管理办法名称和文号（记入审计日志）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("site", _site_choices(cluster_label="全站群（默认）"))
        self._choices("variant", [*variant_titles().items(),
                                  (FOLLOW_CLUSTER, "沿用全站群的规则变体（仅对单个网站）")])

    def site_id(self) -> int | None:
        value = self.cleaned_data.get("site") or CLUSTER
        return int(value) if value else None

    def variant_name(self) -> str | None:
        value: str = self.cleaned_data["variant"]
        return None if value == FOLLOW_CLUSTER else value
