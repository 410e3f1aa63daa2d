"""Admin wiring for core: the calendar tables and the audit trail (strictly read-only)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .audit_actions import ACTIONS
from .models import AuditRecord, CalendarDay, CalendarYear

AUDIT_WRITE_ACTIONS = frozenset({"add", "change", "delete"})


class AuditRecordPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes audit records through the admin, superusers included.

    Reading needs `core.view_auditrecord` (platform administrators and 监管员 hold it).
    """

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in AUDIT_WRITE_ACTIONS:
            return False
        return bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user: Any, actions: Any,
                                             instance: Any) -> bool:
        return self.user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions: Any) -> Any:
        allowed = set(actions) - AUDIT_WRITE_ACTIONS
        if not allowed:
            return get_user_model()._default_manager.none()
        return super().users_with_any_permission(allowed)


register_permission_policy(AuditRecord, AuditRecordPermissionPolicy(AuditRecord),
                           exact_class=True)


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "date"
    form_fields = ["year", "source", "complete"]
    list_display = ["year", "source", "complete"]
    add_to_admin_menu = False


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    form_fields = ["date", "kind", "name"]
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    add_to_admin_menu = False


def _action_choices() -> list[tuple[str, str]]:
    return sorted(((name, f"{label}（{name}）") for name, label in ACTIONS.items()),
                  key=lambda choice: choice[0])


def _actors(request: Any) -> QuerySet[Any]:
    actor_ids = AuditRecord.objects.exclude(actor_id=None).values("actor_id")
    return get_user_model()._default_manager.filter(pk__in=actor_ids)


class AuditRecordFilterSet(WagtailFilterSet):
    """Search the trail by action, actor, organisation, object and date range."""

    action = django_filters.ChoiceFilter(label=_("操作"), choices=_action_choices)
    action_prefix = django_filters.CharFilter(field_name="action", lookup_expr="startswith",
                                              label=_("操作前缀"),
                                              help_text=_("例如 accounts. 或 wagtail."))
    actor = django_filters.ModelChoiceFilter(label=_("操作人"), queryset=_actors)
    organisation_id = django_filters.NumberFilter(label=_("单位编号"))
    object_type = django_filters.CharFilter(label=_("对象类型"), lookup_expr="iexact",
                                            help_text=_("例如 content.articlepage"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    created_at = django_filters.DateFromToRangeFilter(label=_("时间"),
                                                      widget=DateRangePickerWidget)

    class Meta:
        model = AuditRecord
        fields: list[str] = []


class AuditRecordViewSet(ModelViewSet):
    """The audit trail: list, filter, search and inspect; no add, edit, copy or delete."""

    model = AuditRecord
    icon = "history"
    list_display = ["seq", "created_at", "action", "actor_name", "object_type", "object_repr",
                    "organisation_id"]
    filterset_class = AuditRecordFilterSet
    search_fields = ["action", "actor_name", "object_repr", "object_id", "object_type"]
    inspect_view_enabled = True
    inspect_view_fields = ["seq", "created_at", "action", "actor_id", "actor_name",
                           "object_type", "object_id", "object_repr", "organisation_id",
                           "details", "prev_hash", "hash"]
    copy_view_enabled = False
    form_fields = ["action"]
    add_to_admin_menu = False
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "copy_url_name",
                     "history_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self) -> None:
        """Records have no edit view; the admin URL finder has nothing to point at."""

    def get_permissions_to_register(self) -> Any:
        """Offer only the view permission in the group editor."""
        return super().get_permissions_to_register().filter(codename="view_auditrecord")


class PlatformGroup(ModelViewSetGroup):
    menu_label = "平台设置"
    menu_icon = "cogs"
    menu_order = 900
    items = (CalendarYearViewSet("calendar_year"), CalendarDayViewSet("calendar_day"),
             AuditRecordViewSet("audit_record"))


@hooks.register("register_admin_viewset")
def register_platform_group() -> PlatformGroup:
    return PlatformGroup()
