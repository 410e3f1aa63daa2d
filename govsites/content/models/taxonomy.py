"""Shared vocabularies: 主题分类.

The per-column-type rules (update interval, archive age) are parameters of the rule set
(`govsites.rules`), edited under 设置 → 规则.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
