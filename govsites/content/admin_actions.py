"""Admin actions on library items: 转载, 撤稿, 变更有效性, 归档 — each calls one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .choices import Validity
from .models import ColumnPage, ContentItem, PolicyDocumentPage
from .policies import may_reprint_at_all, reprint_targets
from .services import archive_item, change_validity, reprint_item, withdraw_item


class ColumnChoiceField(forms.ModelChoiceField):
    """Columns labelled with their site, so a cluster-wide list stays readable."""

    site_roots: list[tuple[str, str]] = []

    def label_from_instance(self, obj: Any) -> str:
        site = next((name for root, name in self.site_roots if obj.path.startswith(root)), "")
        return f"{site} › {obj.title}（{obj.column_type}）"


class ReprintForm(forms.Form):
    column = ColumnChoiceField(label=_("转载到栏目"), queryset=ColumnPage.objects.none())

    def __init__(self, *args: Any, item: ContentItem, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["column"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reprint_targets(user, item)
        if isinstance(field, ColumnChoiceField):  # one query for every option's site name
            from wagtail.models import Site

            field.site_roots = sorted(
                ((root, name or host) for root, name, host in
                 Site.objects.values_list("root_page__path", "site_name", "hostname")),
                key=lambda row: -len(row[0]))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤稿原因"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("原因将在页面上公开显示。"))


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    changed_on = forms.DateField(label=_("变更日期"), widget=forms.DateInput(attrs={"type": "date"}))
    superseded_by = forms.ModelChoiceField(label=_("替代文件"), required=False,
                                           queryset=PolicyDocumentPage.objects.filter(
                                               alias_of__isnull=True).order_by("-pk"))


class ArchiveForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认归档：页面保持可读，并显示“已归档”及归档日期"))


ACTIONS: dict[str, tuple[str, type[forms.Form]]] = {
    "reprint": ("转载", ReprintForm),
    "withdraw": ("撤稿", WithdrawForm),
    "validity": ("变更有效性", ValidityForm),
    "archive": ("归档", ArchiveForm),
}


def _item_for(request: HttpRequest, page_id: int, action: str) -> ContentItem:
    item = get_object_or_404(ContentItem, pk=page_id).specific
    if action == "reprint":
        # Reprinting pulls a live item into a column one publishes in (policies.py); the
        # original's own organisation need not be the user's.
        if not item.live or item.alias_of_id or not may_reprint_at_all(request.user):
            raise PermissionDenied
        return item
    if not item.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return item


def item_action(request: HttpRequest, page_id: int, action: str) -> HttpResponse:
    """Show and handle the form for one action on one item."""
    if action not in ACTIONS:
        raise PermissionDenied
    item = _item_for(request, page_id, action)
    title, form_class = ACTIONS[action]
    if action == "validity" and not isinstance(item, PolicyDocumentPage):
        raise PermissionDenied
    kwargs: dict[str, Any] = ({"item": item, "user": request.user}
                              if form_class is ReprintForm else {})
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "reprint":
                reprint_item(item=item, column=data["column"], acting_user=request.user)
            elif action == "withdraw":
                withdraw_item(item=item, reason=data["reason"], acting_user=request.user)
            elif action == "validity":
                assert isinstance(item, PolicyDocumentPage)
                change_validity(policy=item, validity=data["validity"],
                                changed_on=data["changed_on"],
                                superseded_by=data.get("superseded_by"),
                                acting_user=request.user)
            else:
                archive_item(item=item, acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已完成“{title}”：《{item.title}》")
            return redirect("wagtailadmin_explore", item.get_parent().pk)
    return TemplateResponse(request, "content/admin/item_action.html",
                            {"form": form, "item": item, "action_title": title})
