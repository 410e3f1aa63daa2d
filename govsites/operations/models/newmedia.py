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


class Ipv6Support(models.TextChoices):
    UNKNOWN = "unknown", _("未检测")
    SUPPORTED = "supported", _("支持")
    UNSUPPORTED = "unsupported", _("不支持")


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
    verified_name = models.CharField(_("认证信息"), max_length=200, blank=True,
                                     help_text=_("平台上公开的认证主体，须标明主办单位名称"))
    exception_reason = models.CharField(
        _("例外理由"), max_length=300, blank=True,
        help_text=_("本单位在同一平台开设第二个账号，或名称与本单位其他平台账号不一致时说明理由"))
    service_host = models.CharField(_("客户端服务域名"), max_length=255, blank=True,
                                    help_text=_("移动客户端所连服务的域名，用于检测IPv6支持"))
    ipv6_support = models.CharField(_("IPv6支持"), max_length=12, choices=Ipv6Support.choices,
                                    default=Ipv6Support.UNKNOWN)
    ipv6_checked_at = models.DateTimeField(_("IPv6检测时间"), null=True, blank=True)
    integrity_declared_at = models.DateTimeField(
        _("承诺时间"), null=True, blank=True,
        help_text=_("主办单位承诺不购买“粉丝”、不强制群众下载、点赞、转发"))
    integrity_declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承诺人"),
                                              null=True, blank=True, on_delete=models.SET_NULL,
                                              related_name="+")

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


class FilingAction(models.TextChoices):
    OPEN = "open", _("开设")
    CHANGE = "change", _("变更")
    CLOSE = "close", _("关停注销")


class NewMediaFiling(models.Model):
    """One 备案 of an account's opening, change or closure (NM-04), step by step.

    The steps are the rule in force when the filing starts (`new_media.filing_steps`; 丹东 第17条:
    本单位主要负责同志同意 → 市委网信办备案核准 → 市政府办公室备案考核), kept here with when each was
    done, so a later change of the rule does not rewrite a filing under way. Steps are done in
    order; the filing completes with the last one.
    """

    account = models.ForeignKey(NewMediaAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="filings")
    action = models.CharField(_("备案事项"), max_length=10, choices=FilingAction.choices)
    requested_at = models.DateTimeField(_("发起时间"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    steps = models.JSONField(_("备案环节"), default=list,
                             help_text=_("[{name, done_at, done_by, reference}]，按顺序办理"))
    form_required = models.BooleanField(_("须填写备案表"), default=False)
    form_file = models.FileField(_("备案表"), upload_to="new_media/filings/%Y/", blank=True)
    completed_at = models.DateTimeField(_("备案完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政务新媒体备案")
        verbose_name_plural = _("政务新媒体备案")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.get_action_display()}备案"


class NewMediaPush(models.Model):
    """An important item of a site to be pushed to one of its body's accounts (NM-05).

    `due_at` is the item's first publication plus `new_media.push_within_hours`; an item not
    pushed by then raises one alert (`alerted_at`).
    """

    account = models.ForeignKey(NewMediaAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="pushes")
    item = models.ForeignKey("content.ContentItem", verbose_name=_("信息"),
                             on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=255)
    published_at = models.DateTimeField(_("网站发布时间"))
    due_at = models.DateTimeField(_("推送时限"))
    pushed_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    post_url = models.URLField(_("推送地址"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    alerted_at = models.DateTimeField(_("超时告警时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政务新媒体推送")
        verbose_name_plural = _("政务新媒体推送")
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["account", "item"],
                                               name="operations_new_media_push_unique")]

    def __str__(self) -> str:
        return f"{self.account} {self.title}"


class AssessmentVerdict(models.TextChoices):
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class NewMediaAssessment(models.Model):
    """An account's assessment (检查) under the 检查指标: any 单项否决 makes it 不合格 (NM-08)."""

    account = models.ForeignKey(NewMediaAccount, verbose_name=_("账号"), on_delete=models.CASCADE,
                                related_name="assessments")
    assessed_at = models.DateTimeField(_("检查时间"))
    verdict = models.CharField(_("结论"), max_length=12, choices=AssessmentVerdict.choices)
    vetoes = models.JSONField(_("单项否决"), default=list, blank=True,
                              help_text=_("[{indicator, label, evidence, source}]"))
    findings = models.JSONField(_("其他问题"), default=list, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("政务新媒体检查结论")
        verbose_name_plural = _("政务新媒体检查结论")
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.get_verdict_display()}"
