"""Wagtail's user admin with the platform's personal fields, saving through accounts.services.

Wagtail's own create and edit views save the form and log `wagtail.create`/`wagtail.edit`;
here `save_instance` hands the validated form data to `services.create_user` and
`services.update_user`, so an account change is validated, audited once and its password
history kept by the service.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from . import services
from .forms import UserCreationForm, UserEditForm
from .models import User


class _ServiceSaveMixin:
    """form_valid that shows a refused save on the form and changes nothing."""

    form: Any
    object: Any

    def form_valid(self, form: Any) -> HttpResponse:
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()  # type: ignore[attr-defined]
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]
        response = self.save_action()  # type: ignore[attr-defined]
        hook_response = self.run_after_hook()  # type: ignore[attr-defined]
        return hook_response if hook_response is not None else response


class UserCreateView(_ServiceSaveMixin, wagtail_users.CreateView):
    def save_instance(self) -> User:
        data = self.form.cleaned_data
        return services.create_user(
            username=data["username"], password=data.get("password1") or "",
            real_name=data.get("real_name", ""), mobile=data.get("mobile", ""),
            organisation=data.get("organisation"), acting_user=self.request.user,
            groups=list(data.get("groups") or []), is_superuser=bool(data.get("is_superuser")),
            email=data.get("email", ""))


class UserEditView(_ServiceSaveMixin, wagtail_users.EditView):
    def save_instance(self) -> User:
        user = User.objects.get(pk=self.object.pk)
        data = self.form.cleaned_data
        changed = self.form.changed_data
        password = data.get("password1") or ""
        updated = services.update_user(
            user=user, acting_user=self.request.user, password=password,
            groups=list(data["groups"]) if "groups" in changed else None,
            **{name: data[name] for name in services.USER_FIELDS
               if name in changed and name in data})
        if password and updated.pk == self.request.user.pk:
            update_session_auth_hash(self.request, updated)
        return updated


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update: bool = False) -> Any:
        return UserEditForm if for_update else UserCreationForm
