"""Admin pages of the rule set (设置 → 规则): every rule with its source and values in force,
one rule with its overrides and the override form, and the variant choice.

Anyone who may use the admin reads; only platform administrators change (through services).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from . import policies, selectors, services
from .forms import ClearOverrideForm, OverrideForm, VariantChoiceForm
from .registry import STATUS_LABELS, STATUSES, registry
from .resolve import RulesError, snapshot


def _require_reader(request: HttpRequest) -> None:
    if not policies.can_read_rules(request.user):
        raise PermissionDenied


def _require_editor(request: HttpRequest) -> None:
    if not policies.can_change_rules(request.user):
        raise PermissionDenied


def _site(site_id: int | None) -> Any:
    if site_id is None:
        return None
    site = selectors.sites().filter(pk=site_id).first()
    if site is None:
        raise ValidationError({"site": "所选网站不存在。"})
    return site


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


def rule_index(request: HttpRequest) -> HttpResponse:
    """Every rule with id, statement, source, status, values in force and where overridden."""
    _require_reader(request)
    area = request.GET.get("area", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    try:
        current = snapshot()
    except RulesError as exc:
        return render(request, "rules/unavailable.html", {"error": str(exc)}, status=503)
    rows = selectors.rule_rows(area=area, status=status if status in STATUSES else "",
                               query=query)
    book = registry()
    return render(request, "rules/index.html", {
        "rows": rows, "areas": book.areas, "statuses": [(s, STATUS_LABELS[s]) for s in STATUSES],
        "area": area, "status": status, "q": query, "current": current,
        "variant_title": selectors.variant_titles().get(current.variant, current.variant),
        "version": book.version, "can_change": policies.can_change_rules(request.user),
        "ignored": current.ignored,
    })


def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    """One rule: sources, enforcement and tests, each parameter's values, the override form."""
    _require_reader(request)
    row = selectors.rule_row(rule_id)
    if row is None:
        raise Http404
    can_change = policies.can_change_rules(request.user)
    form = OverrideForm(rule=row.rule) if can_change and row.rule.params else None
    if request.method == "POST":
        _require_editor(request)
        if "clear" in request.POST:
            return _clear(request, rule_id)
        form = OverrideForm(request.POST, rule=row.rule)
        if form.is_valid():
            try:
                services.set_override(key=form.cleaned_data["key"], value=form.cleaned_data["value"],
                                      reason=form.cleaned_data["reason"],
                                      site=_site(form.site_id()), acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, f"已调整规则 {rule_id} 的参数 {form.cleaned_data['key']}，并记入审计日志。")
                return redirect("govsites_rules:detail", rule_id=rule_id)
    return render(request, "rules/detail.html", {
        "row": row, "form": form, "can_change": can_change,
        "area": next(a.title for a in registry().areas if a.code == row.rule.area),
        "back": reverse("govsites_rules:index"),
    })


def _clear(request: HttpRequest, rule_id: str) -> HttpResponse:
    form = ClearOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤销调整须填写理由。")
        return redirect("govsites_rules:detail", rule_id=rule_id)
    try:
        services.clear_override(key=form.cleaned_data["key"], reason=form.cleaned_data["reason"],
                                site=_site(form.site_id()), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已撤销参数 {form.cleaned_data['key']} 的调整，并记入审计日志。")
    return redirect("govsites_rules:detail", rule_id=rule_id)


def variant_choice(request: HttpRequest) -> HttpResponse:
    """Which variant the cluster and each site use; platform administrators change it."""
    _require_reader(request)
    can_change = policies.can_change_rules(request.user)
    form = VariantChoiceForm() if can_change else None
    if request.method == "POST":
        _require_editor(request)
        form = VariantChoiceForm(request.POST)
        if form.is_valid():
            try:
                services.choose_variant(variant=form.variant_name(),
                                        reason=form.cleaned_data["reason"],
                                        site=_site(form.site_id()), acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, "已保存规则变体的选择，并记入审计日志。")
                return redirect("govsites_rules:variants")
    titles = selectors.variant_titles()
    try:
        current = snapshot()
    except RulesError as exc:
        return render(request, "rules/unavailable.html", {"error": str(exc)}, status=503)
    return render(request, "rules/variants.html", {
        "form": form, "can_change": can_change, "cluster": selectors.cluster_choice(),
        "rows": selectors.variant_rows(), "titles": titles, "current": current,
        "current_title": titles.get(current.variant, current.variant),
        "setting": selectors.setting_variant(), "variants": registry_variants(),
        "back": reverse("govsites_rules:index"),
    })


def registry_variants() -> list[Any]:
    from .registry import variants

    return list(variants().values())
