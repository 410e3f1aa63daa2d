"""Admin wiring: the screening dictionary under 内容检查词库."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import AllowedContext, AllowedDomain, RuleSetting, Term


class TermViewSet(ModelViewSet):
    model = Term
    icon = "warning"
    form_fields = ["text", "category", "severity", "suggestion", "enabled", "note"]
    list_display = ["text", "category", "severity", "suggestion", "enabled"]
    list_filter = ["category", "severity", "enabled", "is_national_default"]
    search_fields = ["text", "suggestion", "note"]


class AllowedContextViewSet(ModelViewSet):
    model = AllowedContext
    icon = "tick-inverse"
    form_fields = ["phrase", "category", "enabled", "note"]
    list_display = ["phrase", "category", "enabled", "note"]
    list_filter = ["category", "enabled"]
    search_fields = ["phrase", "note"]


class AllowedDomainViewSet(ModelViewSet):
    model = AllowedDomain
    icon = "link"
    form_fields = ["domain", "include_subdomains", "enabled", "note"]
    list_display = ["domain", "include_subdomains", "enabled", "note"]
    list_filter = ["include_subdomains", "enabled"]
    search_fields = ["domain", "note"]


class RuleSettingViewSet(ModelViewSet):
    model = RuleSetting
    icon = "cogs"
    form_fields = ["rule_id", "severity", "enabled", "note"]
    list_display = ["rule_id", "label", "category", "severity", "enabled"]
    list_filter = ["category", "severity", "enabled"]


class ScreeningDictionaryGroup(ModelViewSetGroup):
    menu_label = _("内容检查词库")
    menu_icon = "warning"
    menu_order = 300
    items = (
        TermViewSet("screening_terms"),
        AllowedContextViewSet("screening_contexts"),
        AllowedDomainViewSet("screening_domains"),
        RuleSettingViewSet("screening_rules"),
    )


@hooks.register("register_admin_viewset")
def register_screening_group() -> ScreeningDictionaryGroup:
    return ScreeningDictionaryGroup()
