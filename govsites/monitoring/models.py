"""Monitoring records: inspections, rectification tickets (问题销号) with their history, uptime probes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import InspectionStatus, ProbeOutcome, Severity, TicketEventKind, TicketStatus


class Inspection(models.Model):
    """One run of the inspector on one site, with its verdict and a summary of the findings.

    The system writes it: the `inspect` command stores a finished one, and 立即检查 in the admin
    stores a queued one that the task (`tasks.run_inspection`) runs, keeping its progress here.
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="inspections")
    target = models.URLField(_("检查地址"), max_length=500)
    status = models.CharField(_("状态"), max_length=20, choices=InspectionStatus.choices,
                              default=InspectionStatus.DONE, db_index=True)
    requested_at = models.DateTimeField(_("发起时间"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    max_pages = models.PositiveIntegerField(_("页面预算"), default=500)
    include_traditional = models.BooleanField(_("包含繁体页面"), default=False)
    queued_links = models.PositiveIntegerField(_("待处理"), default=0)
    progress_at = models.DateTimeField(_("进度更新时间"), null=True, blank=True)
    error = models.CharField(_("未完成原因"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    as_of = models.DateField(_("检查基准日"), null=True, blank=True)
    pages_crawled = models.PositiveIntegerField(_("抓取页面数"), default=0)
    links_checked = models.PositiveIntegerField(_("检查链接数"), default=0)
    verdict = models.CharField(_("结论"), max_length=20, blank=True)
    decided_by = models.CharField(_("决定结论的规则"), max_length=80, blank=True)
    decided_because = models.CharField(_("结论依据"), max_length=500, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    rulebook = models.CharField(_("规则数据"), max_length=80, blank=True)
    counts = models.JSONField(_("各规则问题数"), default=dict, blank=True)
    report = models.JSONField(_("检查报告"), default=dict, blank=True)

    class Meta:
        verbose_name = _("站点检查")
        verbose_name_plural = _("站点检查")
        ordering = ["-pk"]
        # Inspections are written by the system only: no hand-made, edited or deleted ones.
        default_permissions = ("view",)
        permissions = [("start_inspection", _("可以发起站点检查（立即检查）"))]

    def __str__(self) -> str:
        when = self.started_at or self.requested_at
        shown = f"{timezone.localtime(when):%Y-%m-%d %H:%M}" if when else ""
        return f"{self.target} {shown} {self.verdict or self.get_status_display()}".strip()

    @property
    def in_progress(self) -> bool:
        return self.status in (InspectionStatus.QUEUED, InspectionStatus.RUNNING)


class Ticket(models.Model):
    """A rectification ticket (问题销号) for one serious or veto-level finding.

    It closes only when a re-check of its rule on its URL passes (services.recheck_ticket).
    """

    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("责任单位"),
                                     on_delete=models.PROTECT, related_name="monitoring_tickets")
    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="tickets")
    inspection = models.ForeignKey(Inspection, verbose_name=_("来源检查"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="tickets")
    rule_id = models.CharField(_("规则"), max_length=80, db_index=True)
    url = models.URLField(_("问题地址"), max_length=1000)
    page = models.URLField(_("所在页面"), max_length=1000, blank=True)
    evidence = models.CharField(_("问题证据"), max_length=1000, blank=True)
    message = models.CharField(_("问题说明"), max_length=500, blank=True)
    severity = models.CharField(_("严重程度"), max_length=20, choices=Severity.choices)
    veto = models.BooleanField(_("单项否决"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=TicketStatus.choices,
                              default=TicketStatus.OPEN, db_index=True)
    opened_on = models.DateField(_("开具日期"))
    deadline = models.DateField(_("整改期限"), db_index=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("最近复查"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改单")
        verbose_name_plural = _("整改单")
        ordering = ["status", "deadline", "pk"]
        # Opened from findings and closed by a passing re-check only (问题销号): never by hand.
        default_permissions = ("view",)
        permissions = [("open_ticket", _("可以从检查问题开具整改单")),
                       ("recheck_ticket", _("可以复查整改单"))]

    def __str__(self) -> str:
        return f"整改单 #{self.pk}：{self.message[:60] or self.url}"


class TicketEvent(models.Model):
    """Append-only history of a ticket: opened, re-checked, closed."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("整改单"), on_delete=models.CASCADE,
                               related_name="events")
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("事件"), max_length=20, choices=TicketEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class UptimeProbe(models.Model):
    """One availability probe of a site's home page (kept as history)."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="uptime_probes")
    at = models.DateTimeField(_("探测时间"), db_index=True)
    url = models.URLField(_("探测地址"), max_length=500)
    outcome = models.CharField(_("结果"), max_length=20, choices=ProbeOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("可用性探测")
        verbose_name_plural = _("可用性探测")
        ordering = ["-at"]
        indexes = [models.Index(fields=["site", "at"])]
        default_permissions = ("view",)  # measurements: kept as taken

    def __str__(self) -> str:
        return f"{self.site} {timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class UptimeAlert(models.Model):
    """An alert raised when a site's rolling failure share crosses an alert line.

    A supervisor acknowledges it (确认) with a note; the alert itself is never edited.
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="uptime_alerts")
    at = models.DateTimeField(_("告警时间"))
    level = models.FloatField(_("告警线"))
    share = models.FloatField(_("失败比例"))
    veto = models.BooleanField(_("达到单项否决线"), default=False)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"),
                                        null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    acknowledgement = models.CharField(_("处理说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("可用性告警")
        verbose_name_plural = _("可用性告警")
        ordering = ["-at"]
        default_permissions = ("view",)
        permissions = [("acknowledge_alert", _("可以确认可用性告警"))]

    def __str__(self) -> str:
        return f"{self.site} {timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.share:.1%}"


class UpstreamEntry(models.Model):
    """One item of an upstream portal's feed (CC-30), kept once from when it was first read.

    Written by the hourly feed reader only (reposting.fetch_upstream_feeds); the repost watch
    lists the sites of the cluster that have not reposted it.
    """

    feed_name = models.CharField(_("订阅源"), max_length=100)
    feed_url = models.URLField(_("订阅源地址"), max_length=500)
    title = models.CharField(_("标题"), max_length=300)
    link = models.URLField(_("原文地址"), max_length=500, unique=True)
    document_number = models.CharField(_("发文字号"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    seen_at = models.DateTimeField(_("读取时间"))

    class Meta:
        verbose_name = _("上级信息源条目")
        verbose_name_plural = _("上级信息源条目")
        ordering = ["-published_at"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.feed_name}：{self.title}"
