"""Admin wiring: the 数据开放 menu (overview, upload) and a button on each dataset's editor."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import ListingButton

from . import admin_views
from .models import DatasetPage


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path("opendata/", admin_views.overview, name="opendata_overview"),
        path("opendata/<int:dataset_id>/upload/", admin_views.upload, name="opendata_upload"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu() -> MenuItem:
    return MenuItem("数据开放", reverse("opendata_overview"), icon_name="table", order=450)


@hooks.register("register_page_header_buttons")
def upload_button(page: Any, user: Any, view_name: str = "", next_url: str | None = None) -> Any:
    if isinstance(page.specific, DatasetPage) and page.permissions_for_user(user).can_edit():
        yield ListingButton("上传数据表", reverse("opendata_upload", args=[page.pk]), priority=10)
