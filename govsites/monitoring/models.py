"""Monitoring records: inspections, rectification tickets (问题销号) with their history, uptime probes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ProbeOutcome, Severity, TicketEventKind, TicketStatus


class Inspection(models.Model):
    """One run of the inspector on one site, with its verdict and a summary of the findings."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="inspections")
    target = models.URLField(_("检查地址"), max_length=500)
    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    finished_at = models.DateTimeField(_("结束时间"))
    as_of = models.DateField(_("检查基准日"))
    pages_crawled = models.PositiveIntegerField(_("抓取页面数"), default=0)
    links_checked = models.PositiveIntegerField(_("检查链接数"), default=0)
    verdict = models.CharField(_("结论"), max_length=20)
    decided_by = models.CharField(_("决定结论的规则"), max_length=80)
    decided_because = models.CharField(_("结论依据"), max_length=500, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    rulebook = models.CharField(_("规则数据"), max_length=80, blank=True)
    counts = models.JSONField(_("各规则问题数"), default=dict, blank=True)
    report = models.JSONField(_("检查报告"), default=dict, blank=True)

    class Meta:
        verbose_name = _("站点检查")
        verbose_name_plural = _("站点检查")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.target} {self.started_at:%Y-%m-%d %H:%M} {self.verdict}"


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

    def __str__(self) -> str:
        return f"#{self.pk} {self.rule_id} {self.url}"


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

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


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

    def __str__(self) -> str:
        return f"{self.site_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"


class UptimeAlert(models.Model):
    """An alert raised when a site's rolling failure share crosses an alert line."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="uptime_alerts")
    at = models.DateTimeField(_("告警时间"))
    level = models.FloatField(_("告警线"))
    share = models.FloatField(_("失败比例"))
    veto = models.BooleanField(_("达到单项否决线"), default=False)

    class Meta:
        verbose_name = _("可用性告警")
        verbose_name_plural = _("可用性告警")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.site_id} {self.at:%Y-%m-%d %H:%M} {self.share:.1%}"
