"""Admin wiring for the review chain.

- 我的待办: a menu item, a full view and a dashboard panel replacing Wagtail's two workflow
  panels (ours lists the same steps, overdue first, and the user's own submissions).
- 先审后发: items under one of our workflows have no plain "Publish" button, and the edit,
  create and bulk views refuse a direct publication; the way around the chain is
  “强制发布”, its own permission and its own record.
- Reports and settings: 强制发布记录, 审核策略.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import Permission
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from govsites.content.models import ContentItem

from . import policies, selectors

DIRECT_PUBLISH_REFUSED = ("这条信息须经审核流程后发布（先审后发），已保存为草稿。请提交审核；"
                          "确需立即发布时，请由有权限的人员使用“强制发布”。")
WAGTAIL_WORKFLOW_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}


def _is_reviewed_item(page: Page) -> bool:
    return isinstance(page.specific, ContentItem) and selectors.is_under_review_workflow(page)


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [path("workflow/", include("govsites.workflow.urls"))]


@hooks.register("register_admin_menu_item")
def register_my_tasks_menu_item() -> MenuItem:
    return MenuItem("我的待办", reverse("govsites_workflow:my_tasks"), icon_name="tasks",
                    order=105)


class _PermittedMenuItem(MenuItem):
    def __init__(self, *args: Any, shown_if: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown_if = shown_if

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(self.shown_if(request.user))


@hooks.register("register_reports_menu_item")
def register_force_publication_report() -> MenuItem:
    return _PermittedMenuItem("强制发布记录", reverse("govsites_workflow:force_publications"),
                              icon_name="warning", order=700,
                              shown_if=policies.may_see_force_publications)


@hooks.register("register_settings_menu_item")
def register_review_policy_menu_item() -> MenuItem:
    return _PermittedMenuItem(
        "审核策略", reverse("govsites_workflow:review_policies"), icon_name="tasks", order=650,
        shown_if=lambda user: user.has_perm("govsites_workflow.change_reviewpolicy"))


@hooks.register("register_permissions")
def register_permissions() -> Any:
    return Permission.objects.filter(
        content_type__app_label="govsites_workflow",
        codename__in=["force_publish", "approve_force_publication", "view_forcepublication",
                      "change_reviewpolicy"])


class MyTasksPanel(Component):
    """我的待办 on the dashboard: steps waiting for me and my submissions under review."""

    name = "govsites_my_tasks"
    order = 50
    template_name = "workflow/panels/my_tasks.html"

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> Any:
        from .admin_views import pending_rows

        request = (parent_context or {})["request"]
        pending = selectors.pending_reviews_for(request.user)
        submitted = [s for s in selectors.submitted_items_for(request.user)
                     if s.workflow_state.is_active]
        return {"request": request, "pending_rows": pending_rows(pending[:10], request.user),
                "pending_count": len(pending),
                "overdue_count": sum(1 for p in pending if p.overdue),
                "submitted": submitted[:10], "active_submitted_count": len(submitted)}


@hooks.register("construct_homepage_panels")
def add_my_tasks_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels[:] = [p for p in panels if getattr(p, "name", "") not in WAGTAIL_WORKFLOW_PANELS]
    panels.append(MyTasksPanel())


class ForcePublishMenuItem(ActionMenuItem):
    """“强制发布” in the page editor's action menu, for holders of the permission."""

    name = "action-force-publish"
    label = "强制发布"
    icon_name = "warning"

    def is_shown(self, context: Mapping[str, Any]) -> bool:
        if context.get("view") != "edit":
            return False
        page = context.get("page")
        if page is None or not isinstance(page.specific, ContentItem):
            return False
        return policies.can_force_publish(context["request"].user, page.specific)

    def get_url(self, parent_context: Mapping[str, Any]) -> str:
        return reverse("govsites_workflow:force_publish", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_force_publish_menu_item() -> ActionMenuItem:
    return ForcePublishMenuItem(order=35)


def _created_class(request: HttpRequest) -> type[Page] | None:
    from django.contrib.contenttypes.models import ContentType

    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    try:
        content_type = ContentType.objects.get_by_natural_key(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"])
    except (KeyError, ContentType.DoesNotExist):
        return None
    model = content_type.model_class()
    return model if model is not None and issubclass(model, Page) else None


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items: list[Any], request: HttpRequest,
                        context: Mapping[str, Any]) -> None:
    """Take away the plain “发布” button where the review chain applies."""
    if context.get("view") == "create":
        model = _created_class(request)
        parent = context.get("parent_page")
        applies = (model is not None and issubclass(model, ContentItem) and parent is not None
                   and selectors.is_under_review_workflow(parent))
    else:
        page = context.get("page")
        applies = page is not None and _is_reviewed_item(page)
    if applies:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def refuse_direct_publish(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Refuse a plain publication of an item under review (e.g. a crafted POST)."""
    if not _is_reviewed_item(page):
        return None
    messages.error(request, DIRECT_PUBLISH_REFUSED)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request: HttpRequest, action_type: str, objects: list[Any],
                        action_class_instance: Any) -> HttpResponse | None:
    """Refuse bulk publication when it includes items under review."""
    if action_type != "publish":
        return None
    blocked = [obj for obj in objects if isinstance(obj, Page) and _is_reviewed_item(obj)]
    if not blocked:
        return None
    messages.error(request, DIRECT_PUBLISH_REFUSED)
    return redirect(request.META.get("HTTP_REFERER") or reverse("wagtailadmin_home"))
