"""Site lifecycle requests (网站开设、临时下线、恢复上线、关停、整合迁移), each approved and audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    OPEN = "open", _("开设上线")
    SUSPEND = "suspend", _("临时下线")
    RESUME = "resume", _("恢复上线")
    CLOSE = "close", _("关停")
    MIGRATE = "migrate", _("整合迁移")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class SiteChange(models.Model):
    """One request to change a site's lifecycle state, and its decision."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("事项"), max_length=10, choices=ChangeAction.choices)
    status = models.CharField(_("状态"), max_length=10, choices=ChangeStatus.choices,
                              default=ChangeStatus.PENDING)
    justification = models.TextField(_("申请理由"))
    notice = models.TextField(_("公告内容"), blank=True,
                              help_text=_("下线、关停或迁移期间在网站上显示的公告"))
    starts_on = models.DateField(_("开始日期"), null=True, blank=True,
                                 help_text=_("临时下线的开始日期；恢复上线为计划恢复上线的日期"))
    ends_on = models.DateField(_("计划恢复日期"), null=True, blank=True)
    target = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("迁入网站"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    counted = models.BooleanField(_("计入临时下线次数"), default=True,
                                  help_text=_("不可抗力或责令关停的临时下线不计入"))
    approval_reference = models.CharField(
        _("上级同意文件"), max_length=100, blank=True,
        help_text=_("临时下线超过规则时长须经上级政府办公厅同意时，填写同意文件的文号（ID-27）"))
    self_check = models.TextField(_("自查情况"), blank=True,
                                  help_text=_("恢复上线前对网站内容、功能和安全的自查情况（ID-28）"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True,
                                    help_text=_("临时下线恢复上线的时间"))

    class Meta:
        verbose_name = _("网站变更申请")
        verbose_name_plural = _("网站变更申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.site} {self.get_action_display()}（{self.get_status_display()}）"
