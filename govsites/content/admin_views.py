"""资源库: one admin listing of every item of the cluster, with metadata filters and placements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from govsites.sites.models import Organisation, SiteProfile

from .choices import DisclosureMode, Importance, Validity
from .models import ContentItem, Topic
from .selectors import library_items, placements_of

ITEM_TYPE_CHOICES = [
    ("", _("全部类型")),
    ("articlepage", _("文章")),
    ("policydocumentpage", _("政策文件")),
    ("interpretationpage", _("政策解读")),
    ("serviceguidepage", _("办事指南")),
]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("标题或索引号"), required=False)
    item_type = forms.ChoiceField(label=_("类型"), choices=ITEM_TYPE_CHOICES, required=False)
    site = forms.ModelChoiceField(label=_("网站"), queryset=SiteProfile.objects.all(),
                                  required=False, empty_label=_("全部网站"))
    organisation = forms.ModelChoiceField(label=_("责任单位"), queryset=Organisation.objects.all(),
                                          required=False, empty_label=_("全部单位"))
    topic = forms.ModelChoiceField(label=_("主题分类"),
                                   queryset=Topic.objects.filter(parent__isnull=True),
                                   required=False, empty_label=_("全部分类"))
    importance = forms.ChoiceField(label=_("重要程度"),
                                   choices=[("", _("全部")), *Importance.choices], required=False)
    disclosure_mode = forms.ChoiceField(label=_("公开属性"),
                                        choices=[("", _("全部")), *DisclosureMode.choices],
                                        required=False)
    validity = forms.ChoiceField(label=_("有效性"), choices=[("", _("全部")), *Validity.choices],
                                 required=False)
    year = forms.IntegerField(label=_("发布年份"), required=False, min_value=1990, max_value=2100)


def library_index(request: HttpRequest) -> HttpResponse:
    """List every original item with its placements (original column plus reprints)."""
    form = LibraryFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        site: SiteProfile | None = data.get("site")
        organisation: Organisation | None = data.get("organisation")
        filters = {
            "search": data.get("q") or "",
            "item_type": data.get("item_type") or "",
            "site_root": site.site.root_page if site else None,
            "topic": data.get("topic"),
            "organisation_id": organisation.pk if organisation else None,
            "importance": data.get("importance") or "",
            "disclosure_mode": data.get("disclosure_mode") or "",
            "validity": data.get("validity") or "",
            "year": data.get("year"),
        }
    paginator = Paginator(library_items(**filters), 50)
    page_obj = paginator.get_page(request.GET.get("p"))
    rows = []
    for item in page_obj.object_list:
        specific: ContentItem = item.specific
        placements = []
        for page in placements_of(item):
            site_obj = page.get_site()
            placements.append({
                "page": page,
                "site": site_obj.site_name if site_obj else "",
                "column": page.get_parent().title,
                "is_reprint": page.pk != item.pk,
            })
        rows.append({"item": specific, "placements": placements})
    return TemplateResponse(request, "content/admin/library.html", {
        "form": form, "page_obj": page_obj, "rows": rows, "total": paginator.count,
        "query_string": _without_page(request),
    })


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("p", None)
    return params.urlencode()

