"""The group editor names every permission in 简体中文 (Django stores its own in English)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from govsites import testing
from govsites.accounts.permission_names import chinese_name, translate_permission_names

pytestmark = pytest.mark.django_db

ENGLISH_PERMISSION = re.compile(
    r"\bCan (add|change|delete|view|access|choose)\b|any page|Lock/unlock|pages with children")


def test_migrating_names_djangos_and_wagtails_permissions_in_chinese() -> None:
    names = dict(Permission.objects.filter(
        codename__in=["add_page", "change_organisation", "access_admin", "publish_page"],
    ).values_list("codename", "name"))
    assert names == {"add_page": "可以添加页面", "change_organisation": "可以修改单位",
                     "access_admin": "可以访问管理后台", "publish_page": "发布任意页面"}


def test_the_platforms_own_permission_names_are_kept() -> None:
    permission = Permission.objects.get(codename="start_inspection")
    assert chinese_name(permission) is None
    assert permission.name == "可以发起站点检查（立即检查）"


def test_a_permission_renamed_back_to_english_is_named_in_chinese_again() -> None:
    Permission.objects.filter(codename="add_page").update(name="Can add page")
    assert translate_permission_names() == 1
    assert Permission.objects.get(codename="add_page").name == "可以添加页面"
    assert translate_permission_names() == 0


def test_the_group_editor_shows_no_english_permission_name() -> None:
    user = get_user_model().objects.create_user(
        username="pingtai", password="Pass#1234x", real_name="平台", mobile="13800000000",
        is_superuser=True)
    client: Any = testing.login_verified(Client(HTTP_HOST="localhost"), user)
    group = Group.objects.order_by("pk").first()
    assert group is not None
    page = client.get(f"/admin/groups/edit/{group.pk}/",
                      HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "可以添加页面" in page or "可以添加" in page
    assert not ENGLISH_PERMISSION.findall(page)
