"""Wagtail's user admin with the platform's personal fields (real name, mobile, organisation)."""

from __future__ import annotations

from typing import Any

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import UserCreationForm, UserEditForm


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"

    def get_form_class(self, for_update: bool = False) -> Any:
        return UserEditForm if for_update else UserCreationForm
