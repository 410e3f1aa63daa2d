"""The annual reports: 《政府网站工作年度报表》 per site and 《政府网站监管年度报表》 for the cluster.

A report is drafted from the platform's own data; each figure keeps the value the platform
computed, where it came from, and any value a person entered instead with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    WEBSITE = "website", _("政府网站工作年度报表")
    SUPERVISION = "supervision", _("政府网站监管年度报表")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class FigureOrigin(models.TextChoices):
    PLATFORM = "platform", _("平台数据")
    MANUAL = "manual", _("人工填报")
    REVISED = "revised", _("人工修改")
    UNAVAILABLE = "unavailable", _("未接入")


class AnnualReport(models.Model):
    """One annual report of one site (website kind) or of the cluster (supervision kind)."""

    kind = models.CharField(_("报表类型"), max_length=15, choices=ReportKind.choices)
    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("监管年度报表为发布它的门户网站"))
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    compiled_at = models.DateTimeField(_("生成时间"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_page_id = models.PositiveIntegerField(_("发布的信息"), null=True, blank=True)
    deadline = models.DateField(_("公开截止日"))

    class Meta:
        verbose_name = _("年度报表")
        verbose_name_plural = _("年度报表")
        ordering = ["-year", "kind", "site__name"]
        constraints = [models.UniqueConstraint(fields=["kind", "site", "year"],
                                               name="operations_report_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.year}年{self.get_kind_display()}"


class ReportFigure(models.Model):
    """One field of a report: its value, the platform's value, its source and any revision."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveIntegerField(_("序号"))
    section = models.CharField(_("栏目"), max_length=20)
    key = models.CharField(_("字段"), max_length=60)
    label = models.CharField(_("名称"), max_length=60)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    value = models.CharField(_("数值"), max_length=500, blank=True)
    platform_value = models.CharField(_("平台数据"), max_length=500, blank=True)
    source = models.CharField(_("数据来源"), max_length=500)
    origin = models.CharField(_("来源类型"), max_length=12, choices=FigureOrigin.choices)
    reason = models.CharField(_("修改理由"), max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["report", "key"],
                                               name="operations_figure_unique")]

    def __str__(self) -> str:
        return f"{self.section} {self.label}"
