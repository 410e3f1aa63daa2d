"""Admin wiring of the rule set: 设置 → 规则 (every rule, its values, overrides and variants)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import policies


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [path("rules/", include("govsites.rules.urls"))]


class RulesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return policies.can_read_rules(request.user)


@hooks.register("register_settings_menu_item")
def register_rules_menu_item() -> MenuItem:
    return RulesMenuItem("规则", reverse("govsites_rules:index"), icon_name="list-ul", order=640)


@hooks.register("register_permissions")
def register_permissions() -> Any:
    return Permission.objects.filter(content_type__app_label="govsites_rules",
                                     codename__in=["change_ruleoverride"])
