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
from .policies import library_visibility
from .selectors import library_items, placements_for

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
    """List the original items a user may see with their placements (own column, reprints).

    Scoped like the page tree (policies.library_visibility): every published item, and the
    unpublished ones of the user's own organisation. Queries do not grow with the rows.
    """
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
    visible: Any = library_items(**filters).filter(library_visibility(request.user))  # pages
    items = visible.specific().select_related("owner_organisation", "topic__parent",
                                              for_specific_subqueries=True)
    paginator = Paginator(items, 50)
    page_obj = paginator.get_page(request.GET.get("p"))
    shown: list[ContentItem] = list(page_obj.object_list)
    placements = placements_for(shown)
    rows = [{"item": item, "placements": placements[item.pk]} for item in shown]
    return TemplateResponse(request, "content/admin/library.html", {
        "form": form, "page_obj": page_obj, "rows": rows, "total": paginator.count,
        "query_string": _without_page(request),
    })


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("p", None)
    return params.urlencode()

