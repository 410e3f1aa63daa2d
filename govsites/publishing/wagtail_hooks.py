"""Admin wiring: the 简繁 protected-term dictionary and read-only views of what is published."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import services
from .models import ProtectedTerm, PublishedUrl


class ProtectedTermCreateView(generic.CreateView):
    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return services.save_protected_term(
            acting_user=self.request.user, term=data["term"],
            replacement=data.get("replacement", ""), note=data.get("note", ""))


class ProtectedTermEditView(generic.EditView):
    def save_instance(self) -> Any:
        data = self.form.cleaned_data
        return services.save_protected_term(
            acting_user=self.request.user, instance=self.object, term=data["term"],
            replacement=data.get("replacement", ""), note=data.get("note", ""))


class ProtectedTermDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        services.delete_protected_term(acting_user=self.request.user, instance=self.object)


class ProtectedTermViewSet(ModelViewSet):
    model = ProtectedTerm
    add_view_class = ProtectedTermCreateView
    edit_view_class = ProtectedTermEditView
    delete_view_class = ProtectedTermDeleteView
    icon = "openquote"
    form_fields = ["term", "replacement", "note"]
    list_display = ["term", "replacement", "note"]
    search_fields = ["term", "note"]
    add_to_admin_menu = False


class PublishedUrlViewSet(ModelViewSet):
    model = PublishedUrl
    icon = "link"
    form_fields: list[str] = []
    list_display = ["hostname", "path", "state", "target", "updated_at"]
    list_filter = ["state", "hostname"]
    search_fields = ["path"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class PublishingGroup(ModelViewSetGroup):
    menu_label = "静态发布"
    menu_icon = "upload"
    menu_order = 800
    items = (ProtectedTermViewSet("protected_term"), PublishedUrlViewSet("published_url"))


@hooks.register("register_admin_viewset")
def register_publishing_group() -> PublishingGroup:
    return PublishingGroup()
