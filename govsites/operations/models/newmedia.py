"""政务新媒体 (government new-media accounts): the registry and its update monitoring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaPlatform(models.TextChoices):
    WEIBO = "weibo", _("微博")
    WECHAT = "wechat", _("微信公众号")
    DOUYIN = "douyin", _("抖音")
    TOUTIAO = "toutiao", _("今日头条")
    APP = "app", _("移动客户端")
    OTHER = "other", _("其他")


class FilingStatus(models.TextChoices):
    PENDING = "pending", _("待备案")
    FILED = "filed", _("已备案")
    CANCELLED = "cancelled", _("已注销")


class AccountStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    CLOSED = "closed", _("已关停")


class NewMediaAccount(models.Model):
    """One 政务新媒体 account of a body, with its 备案 and how its updates are checked.

    `feed_url` is an RSS/Atom feed or a page whose newest date is read; without one the owner
    enters a monthly count of posts (NewMediaMonthlyCount).
    """

    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("主办单位"),
                                     on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("平台"), max_length=10, choices=MediaPlatform.choices)
    name = models.CharField(_("账号名称"), max_length=100)
    handle = models.CharField(_("账号标识"), max_length=100, blank=True)
    filing_status = models.CharField(_("备案状态"), max_length=10, choices=FilingStatus.choices,
                                     default=FilingStatus.PENDING)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    opened_on = models.DateField(_("开设日期"))
    closed_on = models.DateField(_("关停日期"), null=True, blank=True)
    status = models.CharField(_("运行状态"), max_length=10, choices=AccountStatus.choices,
                              default=AccountStatus.RUNNING)
    responsible_person = models.CharField(_("责任人"), max_length=50)
    responsible_phone = models.CharField(_("责任人电话"), max_length=40, blank=True)
    feed_url = models.URLField(_("更新检查地址"), max_length=500, blank=True,
                               help_text=_("RSS/Atom 订阅地址或账号主页；没有时由主办单位按月填报发布条数"))
    followers = models.PositiveIntegerField(_("关注量"), null=True, blank=True)
    last_post_at = models.DateTimeField(_("最近更新时间"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("最近检查时间"), null=True, blank=True)
    check_error = models.CharField(_("检查失败原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("政务新媒体账号")
        verbose_name_plural = _("政务新媒体账号")
        ordering = ["organisation__name", "platform", "name"]
        constraints = [models.UniqueConstraint(fields=["platform", "name"],
                                               name="operations_new_media_unique_name")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}：{self.name}"


class NewMediaMonthlyCount(models.Model):
    """Posts of an account in one month, entered by its owner (no feed to read)."""

    account = models.ForeignKey(NewMediaAccount, on_delete=models.CASCADE,
                                related_name="monthly_counts")
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    posts = models.PositiveIntegerField(_("发布条数"))
    last_post_on = models.DateField(_("当月最后发布日期"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("新媒体月度发布量")
        verbose_name_plural = _("新媒体月度发布量")
        constraints = [models.UniqueConstraint(fields=["account", "month"],
                                               name="operations_new_media_month_unique")]

    def __str__(self) -> str:
        return f"{self.account} {self.month:%Y-%m} {self.posts}"


class NewMediaAlert(models.Model):
    """An account found not updated within the rule's days (僵尸号 risk), until it updates."""

    account = models.ForeignKey(NewMediaAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="alerts")
    opened_at = models.DateTimeField(_("告警时间"))
    rule_id = models.CharField(_("规则"), max_length=10, default="NM-01")
    days_without_update = models.PositiveIntegerField(_("未更新天数"))
    message = models.CharField(_("说明"), max_length=300)
    closed_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ticket = models.ForeignKey("monitoring.Ticket", verbose_name=_("整改单"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text=_("告警开具的监测整改单（问题销号）"))

    class Meta:
        verbose_name = _("新媒体更新告警")
        verbose_name_plural = _("新媒体更新告警")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.message}"
