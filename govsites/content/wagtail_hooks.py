"""Admin wiring for content: the 资源库 view, item actions, vocabularies, document access."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton

from . import admin_actions, admin_views
from .models import ContentItem, ImportRun, PolicyDocumentPage, Topic
from .policies import can_download_document, may_reprint_at_all


@hooks.register("register_admin_urls")
def register_library_url() -> list[Any]:
    return [
        path("library/", admin_views.library_index, name="govsites_library"),
        path("items/<int:page_id>/<slug:action>/", admin_actions.item_action,
             name="govsites_item_action"),
    ]


def _item_buttons(page: Any, user: Any, priority: int) -> Any:
    specific = page.specific
    if not isinstance(specific, ContentItem) or specific.alias_of_id:
        return
    actions = ["reprint"] if page.live and may_reprint_at_all(user) else []
    if page.permissions_for_user(user).can_publish():
        actions += ["withdraw", "archive"] if page.live else []
    if "archive" in actions and isinstance(specific, PolicyDocumentPage):
        actions.append("validity")
    for n, action in enumerate(actions):
        yield ListingButton(admin_actions.ACTIONS[action][0],
                            reverse("govsites_item_action", args=[page.pk, action]),
                            priority=priority + n)


@hooks.register("register_page_listing_more_buttons")
def item_listing_buttons(page: Any, user: Any, next_url: str | None = None) -> Any:
    yield from _item_buttons(page, user, 70)


@hooks.register("register_page_header_buttons")
def item_header_buttons(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    yield from _item_buttons(page, user, 80)


@hooks.register("register_admin_menu_item")
def register_library_menu_item() -> MenuItem:
    return MenuItem("资源库", reverse("govsites_library"), icon_name="folder-open-inverse",
                    order=110)


class TopicViewSet(ModelViewSet):
    model = Topic
    icon = "tag"
    form_fields = ["code", "name", "parent", "sort_order"]
    list_display = ["code", "path"]
    search_fields = ["name", "code"]


class VocabularyGroup(ModelViewSetGroup):
    menu_label = "主题分类"
    menu_icon = "tag"
    menu_order = 160
    # The column-type rules (update interval, archive age) moved to 设置 → 规则 (govsites.rules).
    items = (TopicViewSet("topics"),)


@hooks.register("register_admin_viewset")
def register_vocabulary_group() -> VocabularyGroup:
    return VocabularyGroup()


@hooks.register("before_serve_document")
def serve_documents_of_unpublished_items_only_to_their_readers(document: Any, request: Any) -> None:
    """`/documents/ID/…`: a document only unpublished items use is not public (policies.py).

    Answered 404 like a missing document, so nobody learns that a draft's attachment exists.
    """
    if not can_download_document(request.user, document):
        raise Http404


class ImportRunViewSet(ModelViewSet):
    """导入批次: a read-only list of imports (written by `govsites import` only)."""

    model = ImportRun
    icon = "download"
    menu_label = "导入批次"
    menu_order = 170
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields: list[str] = []
    list_display = ["file_name", "site_root", "acting_user", "started_at", "state", "total",
                    "position", "created", "updated", "unchanged",
                    Column("held_count", label="暂缓发布", accessor="held_count"),
                    Column("error_count", label="错误", accessor="error_count")]
    list_filter = ["state"]
    search_fields = ["file_name", "file_digest"]
    inspect_view_fields = ["file_name", "file_digest", "site_root", "acting_user", "state",
                           "started_at", "finished_at", "total", "position", "last_line",
                           "created", "updated", "unchanged", "held", "errors"]

    def get_common_view_kwargs(self, **kwargs: Any) -> Any:
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, **kwargs})

    def get_urlpatterns(self) -> list[Any]:
        return [p for p in super().get_urlpatterns()
                if p.name in ("index", "index_results", "inspect")]


@hooks.register("register_admin_viewset")
def register_import_runs() -> ImportRunViewSet:
    return ImportRunViewSet("import_runs")


class MissingCategoriesPanel(Component):
    """Dashboard alert (CC-21): sites the user may read that lack a required content category."""

    name = "missing_categories"
    order = 60
    template_name = "content/admin/missing_categories_panel.html"

    def __init__(self, rows: list[tuple[Any, list[str]]]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"rows": self.rows}


def sites_missing_categories(user: Any) -> list[tuple[Any, list[str]]]:
    """(site, missing 栏目类别) for every site in the user's read scope that lacks some."""
    from govsites.accounts.policies import read_scope
    from govsites.sites.selectors import all_sites

    from .selectors import missing_required_column_types

    scope = read_scope(user)
    rows = []
    for profile in all_sites().select_related("site__root_page"):
        if not scope.covers(profile.host_organisation_id):
            continue
        missing = missing_required_column_types(profile)
        if missing:
            rows.append((profile, missing))
    return rows


@hooks.register("construct_homepage_panels")
def add_missing_categories_panel(request: Any, panels: list[Any]) -> None:
    rows = sites_missing_categories(request.user)
    if rows:
        panels.append(MissingCategoriesPanel(rows))
