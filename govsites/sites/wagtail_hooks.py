"""Admin wiring: organisations and the site registry under 单位与网站."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Organisation, SiteProfile


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    form_fields = ["name", "short_name", "credit_code", "kind", "parent", "address", "phone"]
    list_display = ["name", "credit_code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]


class SiteProfileViewSet(ModelViewSet):
    model = SiteProfile
    icon = "site"
    form_fields = [
        "site", "name", "kind", "host_organisation", "operator_name", "portal", "domain", "chinese_domain",
        "site_code", "icp_number", "police_number", "address", "postcode", "phone", "email",
        "status",
    ]
    list_display = ["name", "kind", "domain", "site_code", "host_organisation", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "domain", "site_code"]


class RegistryGroup(ModelViewSetGroup):
    menu_label = "单位与网站"
    menu_icon = "site"
    menu_order = 150
    items = (OrganisationViewSet("organisations"), SiteProfileViewSet("site_profiles"))


@hooks.register("register_admin_viewset")
def register_registry_group() -> RegistryGroup:
    return RegistryGroup()
