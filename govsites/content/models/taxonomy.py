"""Shared vocabularies: 主题分类 and the per-column-type rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ColumnType


class Topic(models.Model):
    """A 主题分类 class (gov.cn 22-class taxonomy, two levels, extendable by province)."""

    code = models.CharField(_("代码"), max_length=10, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("上级分类"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="topic_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        """Return the class as shown on disclosure pages: 一级\\二级."""
        if self.parent_id and self.parent is not None:
            return f"{self.parent.name}\\{self.name}"
        return self.name


class ColumnTypeRule(models.Model):
    """Defaults per column type (update interval, archive age), national values as seed data."""

    column_type = models.CharField(_("栏目类别"), max_length=20, choices=ColumnType.choices,
                                   unique=True)
    update_interval_days = models.PositiveIntegerField(
        _("应更新周期（天）"), null=True, blank=True,
        help_text=_("超过该天数无新信息即视为不更新栏目；留空表示该类别无更新周期要求。"))
    archive_after_days = models.PositiveIntegerField(
        _("到期归档（天）"), null=True, blank=True,
        help_text=_("专题专栏等在最后更新后超过该天数应归档。"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("栏目类别规则")
        verbose_name_plural = _("栏目类别规则")
        ordering = ["column_type"]

    def __str__(self) -> str:
        return str(self.get_column_type_display())
