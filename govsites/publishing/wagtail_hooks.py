"""Admin wiring: the 简繁 protected-term dictionary and read-only views of what is published."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import ProtectedTerm, PublishedUrl


class ProtectedTermViewSet(ModelViewSet):
    model = ProtectedTerm
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
