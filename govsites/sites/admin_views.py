"""The registry's admin views: each save goes through sites.services, each check through
sites.policies.

Wagtail's generic create/edit views save the form instance themselves (and log
`wagtail.create` / `wagtail.edit`, which the audit mirror would copy). Here `save_instance`
hands the validated form data to the service instead, so an admin edit is validated, audited
exactly once and keeps the Wagtail Site in step with its registry record.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.models import Page, Site
from wagtail.permission_policies import ModelPermissionPolicy

from . import policies, services
from .models import Organisation, SiteProfile

SITE_FORM_FIELDS = [
    "name", "kind", "host_organisation", "operator_name", "portal", "domain", "chinese_domain",
    "site_code", "icp_number", "police_number", "address", "postcode", "phone", "email",
    "status",
]


class RegistryPermissionPolicy(ModelPermissionPolicy):
    """The admin's view of sites.policies for Organisation and SiteProfile."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_permission_for_instance(user, action, None)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        is_site = self.model is SiteProfile
        if action == "add":
            return (policies.can_create_site(user) if is_site
                    else policies.can_create_organisation(user))
        if action == "change":
            return (policies.can_edit_site(user, instance) if is_site
                    else policies.can_edit_organisation(user, instance))
        if action == "view":
            return policies.can_view_registry(user)
        if action == "delete":
            return policies.can_delete_registry_record(user, instance)
        return False

    def user_has_any_permission_for_instance(self, user: Any, actions: Any,
                                             instance: Any) -> bool:
        return any(self.user_has_permission_for_instance(user, action, instance)
                   for action in actions)


class OrganisationForm(WagtailAdminModelForm):
    class Meta:
        model = Organisation
        fields = list(services.ORGANISATION_FIELDS)


STATUS_HELP = _("运行状态只能通过“网站变更”申请（开设上线、临时下线、恢复上线、关停、整合迁移）"
                "经审批后变更，不能在此直接修改。新登记的网站为“筹建中”。")


class SiteProfileEditForm(WagtailAdminModelForm):
    """The registry record plus the address where this installation answers for it."""

    hostname = forms.CharField(label=_("主机名"), max_length=255,
                               help_text=_("本平台应答的主机名（生产环境为英文域名）"))
    port = forms.IntegerField(label=_("端口"), min_value=1, max_value=65535, initial=80)

    class Meta:
        model = SiteProfile
        fields = SITE_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["hostname"].initial = self.instance.site.hostname
            self.fields["port"].initial = self.instance.site.port
        # The status changes only through an approved lifecycle request (开设上线, 临时下线,
        # 恢复上线, 关停, 整合迁移: 报告 → 网站变更), never by editing the record: a disabled
        # field keeps its value whatever is posted. A new site starts 筹建中.
        status = self.fields["status"]
        status.disabled = True
        status.help_text = STATUS_HELP


class SiteProfileCreateForm(SiteProfileEditForm):
    root_page = forms.ModelChoiceField(
        label=_("首页"), queryset=Page.objects.filter(depth=2),
        help_text=_("网站的首页（页面树第二层、尚未属于任何网站的页面）"))

    def clean_root_page(self) -> Page:
        page = self.cleaned_data["root_page"]
        if Site.objects.filter(root_page=page).exists():
            raise ValidationError(_("该页面已是另一个网站的首页。"))
        return page


def _show_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it names, the rest on top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class _ServiceSaveMixin:
    """form_valid that reports a refused save on the form and changes nothing."""

    form: Any
    object: Any

    def form_valid(self, form: Any) -> HttpResponse:
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()  # type: ignore[attr-defined]
        except ValidationError as error:
            _show_errors(form, error)
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]
        response = self.save_action()  # type: ignore[attr-defined]
        hook_response = self.run_after_hook()  # type: ignore[attr-defined]
        return hook_response if hook_response is not None else response


def _changes(form: Any, names: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.changed_data}


class OrganisationCreateView(_ServiceSaveMixin, generic.CreateView):
    def save_instance(self) -> Organisation:
        data = self.form.cleaned_data
        return services.create_organisation(
            acting_user=self.request.user, name=data["name"], credit_code=data["credit_code"],
            kind=data["kind"], parent=data.get("parent"), short_name=data.get("short_name", ""),
            address=data.get("address", ""), phone=data.get("phone", ""))


class OrganisationEditView(_ServiceSaveMixin, generic.EditView):
    def save_instance(self) -> Organisation:
        organisation = Organisation.objects.get(pk=self.object.pk)
        return services.update_organisation(
            organisation=organisation, acting_user=self.request.user,
            **_changes(self.form, services.ORGANISATION_FIELDS))


class SiteProfileCreateView(_ServiceSaveMixin, generic.CreateView):
    def save_instance(self) -> SiteProfile:
        data = self.form.cleaned_data
        fields = {name: data[name] for name in SITE_FORM_FIELDS if name in data}
        return services.create_site(
            root_page=data["root_page"], hostname=data["hostname"], port=data["port"],
            acting_user=self.request.user, **fields)


class SiteProfileEditView(_ServiceSaveMixin, generic.EditView):
    def save_instance(self) -> SiteProfile:
        site = SiteProfile.objects.select_related("site").get(pk=self.object.pk)
        data = self.form.cleaned_data
        return services.update_site(
            site=site, acting_user=self.request.user, hostname=data["hostname"],
            port=data["port"], **_changes(self.form, SITE_FORM_FIELDS))

