"""Admin URLs of the rule set (mounted under /admin/rules/ by wagtail_hooks)."""

from django.urls import path

from . import admin_views

app_name = "govsites_rules"

urlpatterns = [
    path("", admin_views.rule_index, name="index"),
    path("variants/", admin_views.variant_choice, name="variants"),
    path("<str:rule_id>/", admin_views.rule_detail, name="detail"),
]
