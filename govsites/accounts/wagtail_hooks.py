"""Admin wiring for accounts: organisation limits on page actions, TOTP and departure links."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from . import policies, urls


@hooks.register("register_admin_urls")
def register_account_urls() -> list[Any]:
    return [path("accounts/", include(urls, namespace="govsites_accounts"))]


# The permission policy already anchors each role's page permissions on the user's own
# organisation; these hooks refuse the cases a subtree grant cannot express (another
# organisation's column inside one's site) and any URL typed by hand.


def _refuse_outside_scope(request: Any, page: Any) -> None:
    if not policies.can_act_on_page(request.user, page):
        raise PermissionDenied(_("该页面不属于您所在单位，不能操作。"))


@hooks.register("before_edit_page")
def limit_edit_to_organisation(request: Any, page: Any) -> None:
    _refuse_outside_scope(request, page)


@hooks.register("before_create_page")
def limit_create_to_organisation(request: Any, parent_page: Any, page_class: Any) -> None:
    _refuse_outside_scope(request, parent_page)


@hooks.register("before_delete_page")
def limit_delete_to_organisation(request: Any, page: Any) -> None:
    if not policies.can_act_on_page(request.user, page) or not policies.can_delete_page(
            request.user, page):
        raise PermissionDenied(_("该页面或其下级页面不属于您所在单位，不能删除。"))


@hooks.register("before_move_page")
def limit_move_to_organisation(request: Any, page: Any, destination: Any) -> None:
    if not policies.can_move_page(request.user, page, destination):
        raise PermissionDenied(_("只能在本单位的栏目之间移动页面。"))


@hooks.register("before_copy_page")
def limit_copy_to_organisation(request: Any, page: Any) -> None:
    _refuse_outside_scope(request, page)


@hooks.register("before_unpublish_page")
def limit_unpublish_to_organisation(request: Any, page: Any) -> None:
    _refuse_outside_scope(request, page)


@hooks.register("before_convert_alias_page")
def limit_alias_conversion_to_organisation(request: Any, page: Any) -> None:
    _refuse_outside_scope(request, page)


class OrganisationAccountsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return policies.can_list_organisation_accounts(request.user)


@hooks.register("register_settings_menu_item")
def organisation_accounts_menu_item() -> MenuItem:
    return OrganisationAccountsMenuItem(_("本单位账号"),
                                        reverse("govsites_accounts:organisation_accounts"),
                                        icon_name="group", order=610)


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request: Any) -> dict[str, str]:
    return {"url": reverse("govsites_accounts:totp_setup"),
            "label": _("双因素认证"),
            "help_text": _("用手机验证器应用生成登录动态验证码")}


@hooks.register("register_user_listing_buttons")
def departure_button(user: Any, request_user: Any) -> list[ListingButton]:
    if not user.is_active or not policies.can_handle_departure(request_user, user):
        return []
    return [ListingButton(_("离岗交接"),
                          reverse("govsites_accounts:departure", args=[user.pk]),
                          priority=50)]


#: Wagtail's help-menu entries that open Wagtail's own (English, external) pages. The platform's
#: staff get the admin in Chinese and branded as the platform, so they are left out; so is the
#: "(N new items in this menu)" badge they raise.
WAGTAIL_EXTERNAL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def drop_wagtail_external_help(request: Any, menu_items: list[Any]) -> None:
    menu_items[:] = [item for item in menu_items
                     if not str(getattr(item, "name", "")).startswith(WAGTAIL_EXTERNAL_HELP_ITEMS)]
