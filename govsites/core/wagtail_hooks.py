"""Admin wiring for core: the calendar tables and the audit trail as read-only snippets."""

from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.models import register_snippet  # noqa: F401

from .models import AuditRecord, CalendarDay, CalendarYear
from wagtail import hooks


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


class AuditRecordViewSet(ModelViewSet):
    model = AuditRecord
    icon = "history"
    list_display = ["seq", "created_at", "action", "actor_name", "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "actor_name", "object_repr", "object_id"]
    inspect_view_enabled = True
    form_fields = []
    add_to_admin_menu = False

    def get_permissions_to_register(self):  # type: ignore[no-untyped-def]
        return super().get_permissions_to_register()


class PlatformGroup(ModelViewSetGroup):
    menu_label = "平台设置"
    menu_icon = "cogs"
    menu_order = 900
    items = (CalendarYearViewSet("calendar_year"), CalendarDayViewSet("calendar_day"),
             AuditRecordViewSet("audit_record"))


@hooks.register("register_admin_viewset")
def register_platform_group() -> PlatformGroup:
    return PlatformGroup()
