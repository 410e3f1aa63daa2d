"""Checks of open data: what makes a release publishable, who may upload to a dataset.

A release may not go live while any of its file resources names no table version, a version of
another dataset, or a version screening held (personal data); `DatasetPage.clean()` calls
`release_problems`, so Wagtail's forms, the review chain's last approval
(`content.services.check_publishable`) and every other publication path refuse it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from govsites import rules

from .choices import OpenAttribute, ResourceKind, VersionStatus


def update_frequencies(site: Any = None) -> dict[str, int]:
    """The update frequencies in force (label → period in days; 0 = no fixed period)."""
    return {str(k): int(v or 0)
            for k, v in rules.value("opendata.update_frequency_days", site=site).items()}


def release_problems(dataset: Any) -> dict[str, str]:
    """Return field → problem for everything that stops this release; {} when it may go live."""
    from govsites.sites.selectors import profile_for_page

    problems: dict[str, str] = {}
    site = profile_for_page(dataset) if dataset.path else None
    frequencies = update_frequencies(site)
    if dataset.update_frequency not in frequencies:
        problems["update_frequency"] = _("更新频率须为以下之一：%(values)s") % {
            "values": "、".join(frequencies)}
    if dataset.open_attribute == OpenAttribute.CONDITIONAL and not dataset.open_conditions.strip():
        problems["open_conditions"] = _("有条件开放的数据集须写明开放条件。")
    resource_problems: list[str] = []
    names: set[str] = set()
    for resource in dataset.resources.all():
        if resource.name in names:
            resource_problems.append(_("数据资源名称“%(name)s”重复。") % {"name": resource.name})
        names.add(resource.name)
        if resource.kind == ResourceKind.API:
            if not resource.api_url:
                resource_problems.append(_("接口类数据资源“%(name)s”须填写接口地址。")
                                         % {"name": resource.name})
            continue
        version = resource.version if resource.version_id else None
        if version is None:
            resource_problems.append(_("数据资源“%(name)s”没有选择数据表版本。")
                                     % {"name": resource.name})
        elif dataset.pk and version.dataset_id != dataset.pk:
            resource_problems.append(_("数据资源“%(name)s”选择的数据表版本不属于本数据集。")
                                     % {"name": resource.name})
        elif version.status != VersionStatus.CLEAN:
            resource_problems.append(_("数据资源“%(name)s”的版本 v%(number)s 含个人信息，已扣留，不能发布。")
                                     % {"name": resource.name, "number": version.number})
    if resource_problems:
        problems["__all__"] = "；".join(resource_problems)
    return problems


def can_upload(user: Any, dataset: Any) -> bool:
    """Whoever may edit the dataset page may add table versions to it."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return bool(dataset.permissions_for_user(user).can_edit())


def dataset_for_upload(*, user: Any, dataset_id: int) -> Any:
    """Return the dataset a user may upload to; the same error when missing or forbidden."""
    from .models import DatasetPage

    dataset = DatasetPage.objects.filter(pk=dataset_id).first()
    if dataset is None or not can_upload(user, dataset):
        raise PermissionDenied(_("数据集不存在或无权操作。"))
    return dataset
