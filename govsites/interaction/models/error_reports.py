"""我为政府网站找错: error reports about a site's pages, local or imported from the national platform."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ErrorReportSource, ErrorReportStatus, ErrorType


class ErrorReport(models.Model):
    """One report that something on a site is wrong, with its 1-day forward and reply clocks.

    `forward_due` and `reply_due` come from the rule set (`error_report.forward_working_days`,
    `error_report.reply_working_days`; 南通 1 and 3, 亳州 stricter); empty when the rules in force
    set no working-day limit (nationally only the one-month count of the annual report applies).
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="error_reports")
    source = models.CharField(_("来源"), max_length=20, choices=ErrorReportSource.choices,
                              default=ErrorReportSource.SITE)
    external_id = models.CharField(_("国家平台编号"), max_length=60, blank=True)
    page_url = models.CharField(_("问题页面"), max_length=500)
    error_type = models.CharField(_("问题类型"), max_length=20, choices=ErrorType.choices)
    description = models.TextField(_("问题描述（已隐去个人信息）"))
    sealed_contact = models.TextField(_("联系方式（加密）"), blank=True, editable=False)
    query_code = models.CharField(_("查询码"), max_length=20, unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=ErrorReportStatus.choices,
                              default=ErrorReportStatus.RECEIVED)
    received_at = models.DateTimeField(_("留言时间"))
    forward_due = models.DateField(_("转交期限"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    citizen = models.ForeignKey("accounts.CitizenAccount", verbose_name=_("公众用户"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                editable=False, related_name="+")

    class Meta:
        verbose_name = _("找错留言")
        verbose_name_plural = _("找错留言")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(
            fields=["source", "external_id"], condition=~models.Q(external_id=""),
            name="interaction_error_report_external_once")]

    def __str__(self) -> str:
        return f"{self.query_code} {self.get_error_type_display()}"

    @property
    def on_time(self) -> bool | None:
        if self.replied_at is None:
            return None
        if self.reply_due is None:
            return True
        from django.utils import timezone

        return timezone.localtime(self.replied_at).date() <= self.reply_due
