"""Chinese names for Django's and Wagtail's permissions, as the group editor shows them.

Django stores each permission's name once, in English ("Can add page"), when it creates it;
Wagtail's group editor reads those names for its checkbox labels (screen readers hear them)
and for the "other permissions" list, so a Chinese admin showed English there. After every
migration the names of the permissions Django and Wagtail create are rewritten in 简体中文 from
the model's Chinese verbose name; permissions the platform declares itself already have
Chinese names and are left as they are.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

#: Django's default actions (Meta.default_permissions), as the group editor words them.
DEFAULT_ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}

#: Wagtail's own extra permissions, by app label and codename.
WAGTAIL_NAMES = {
    ("wagtailadmin", "access_admin"): "可以访问管理后台",
    ("wagtailcore", "bulk_delete_page"): "删除含下级页面的页面",
    ("wagtailcore", "lock_page"): "锁定/解锁本人锁定的页面",
    ("wagtailcore", "publish_page"): "发布任意页面",
    ("wagtailcore", "unlock_page"): "解锁任意页面",
    ("wagtaildocs", "choose_document"): "可以选择文档",
    ("wagtailimages", "choose_image"): "可以选择图片",
}


def chinese_name(permission: Any) -> str | None:
    """The Chinese name for a Django or Wagtail permission, or None to leave it as it is."""
    content_type = permission.content_type
    fixed = WAGTAIL_NAMES.get((content_type.app_label, permission.codename))
    if fixed is not None:
        return fixed
    action, _sep, model_name = permission.codename.partition("_")
    if action not in DEFAULT_ACTIONS or model_name != content_type.model:
        return None
    model = content_type.model_class()
    if model is None:
        return None
    with translation.override("zh-hans"):
        verbose_name = str(model._meta.verbose_name)
    name = f"可以{DEFAULT_ACTIONS[action]}{verbose_name}"
    return name[:255]


def translate_permission_names() -> int:
    """Rewrite the English names of Django's and Wagtail's permissions; return how many changed."""
    from django.contrib.auth.models import Permission

    changed = []
    for permission in Permission.objects.select_related("content_type"):
        name = chinese_name(permission)
        if name is not None and permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.bulk_update(changed, ["name"], batch_size=500)
    return len(changed)
