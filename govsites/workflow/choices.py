"""Choices of the review chain: who reviews a step, and from which importance a step applies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govsites.content.choices import Importance


class ReviewerScope(models.TextChoices):
    """Where a step finds its reviewers: the item's owning body or that body's 人民政府."""

    ORGANISATION = "organisation", _("信息的责任单位")
    GOVERNMENT = "government", _("责任单位所属的人民政府")
    GOVERNMENT_OFFICE = "government_office", _("所属人民政府的办公室（办公厅）")


#: Scopes whose reviewers sit above the owning body; meeting the same people twice is skipped.
UPPER_SCOPES = frozenset({ReviewerScope.GOVERNMENT, ReviewerScope.GOVERNMENT_OFFICE})


class AppliesFrom(models.TextChoices):
    """The lowest importance at which a step applies (三级审核 escalates by importance)."""

    NORMAL = "normal", _("一般及以上信息")
    MAJOR = "major", _("重大及以上信息")
    CRITICAL = "critical", _("仅特级信息")
    NEVER = "never", _("不启用")


IMPORTANCE_RANK: dict[str, int] = {
    Importance.NORMAL: 0,
    Importance.MAJOR: 1,
    Importance.CRITICAL: 2,
}

APPLIES_FROM_RANK: dict[str, int] = {
    AppliesFrom.NORMAL: 0,
    AppliesFrom.MAJOR: 1,
    AppliesFrom.CRITICAL: 2,
    AppliesFrom.NEVER: 99,
}


def importance_reaches(importance: str, applies_from: str) -> bool:
    """Say whether an item of this importance needs a step that applies from `applies_from`."""
    return IMPORTANCE_RANK.get(importance, 0) >= APPLIES_FROM_RANK.get(applies_from, 99)
