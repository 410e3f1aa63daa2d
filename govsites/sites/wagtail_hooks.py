"""Admin wiring: organisations and the site registry under 单位与网站.

Create and edit go through sites.services (admin_views.py); who may do what is decided by
sites.policies through RegistryPermissionPolicy. There is no delete: a site is retired
through its status, an organisation stays for the history of its accounts and content.
"""

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from . import admin_views, lifecycle_views, policies
from .models import Organisation, SiteProfile

register_permission_policy(Organisation, admin_views.RegistryPermissionPolicy(Organisation),
                           exact_class=True)
register_permission_policy(SiteProfile, admin_views.RegistryPermissionPolicy(SiteProfile),
                           exact_class=True)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    form_fields = list(admin_views.OrganisationForm.Meta.fields)
    list_display = ["name", "credit_code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
    add_view_class = admin_views.OrganisationCreateView
    edit_view_class = admin_views.OrganisationEditView
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> type:
        return admin_views.OrganisationForm


class SiteProfileViewSet(ModelViewSet):
    model = SiteProfile
    icon = "site"
    form_fields = admin_views.SITE_FORM_FIELDS
    list_display = ["name", "kind", "domain", "site_code", "host_organisation", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "domain", "site_code"]
    add_view_class = admin_views.SiteProfileCreateView
    edit_view_class = admin_views.SiteProfileEditView
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> type:
        if for_update:
            return admin_views.SiteProfileEditForm
        return admin_views.SiteProfileCreateForm


class RegistryGroup(ModelViewSetGroup):
    menu_label = "单位与网站"
    menu_icon = "site"
    menu_order = 150
    items = (OrganisationViewSet("organisations"), SiteProfileViewSet("site_profiles"))


@hooks.register("register_admin_viewset")
def register_registry_group() -> RegistryGroup:
    return RegistryGroup()


@hooks.register("register_admin_urls")
def register_lifecycle_urls() -> list[Any]:
    return [
        path("sites/lifecycle/", lifecycle_views.overview, name="sites_lifecycle"),
        path("sites/lifecycle/<int:site_id>/", lifecycle_views.site_lifecycle,
             name="sites_lifecycle_site"),
    ]


class _RegistryMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return policies.can_view_registry(request.user)


@hooks.register("register_admin_menu_item")
def register_lifecycle_menu() -> MenuItem:
    return _RegistryMenuItem("开办备案与时限", reverse("sites_lifecycle"), icon_name="time",
                             order=151)
