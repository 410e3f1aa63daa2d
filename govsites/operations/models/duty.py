"""Duty records (值班), security incidents (安全事件) and emergency drills (应急演练)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyShift(models.Model):
    """One day's duty (值班表) of an organisation, with the handover and the 7×24 读网 record."""

    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("单位"),
                                     on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("值班日期"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("值班人"),
                                on_delete=models.PROTECT, related_name="+")
    web_reading_done = models.BooleanField(_("已完成读网"), default=False,
                                           help_text=_("7×24小时读网：当日是否通读所负责的网站"))
    reading_notes = models.TextField(_("读网发现"), blank=True)
    handover_notes = models.TextField(_("交接班记录"), blank=True)

    class Meta:
        verbose_name = _("值班记录")
        verbose_name_plural = _("值班记录")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["organisation", "day", "officer"],
                                               name="operations_duty_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.officer}"


class IncidentSource(models.TextChoices):
    GUARD = "guard", _("防篡改监测")
    PROBER = "prober", _("可用性探测")
    PERSON = "person", _("人工发现")


class IncidentSeverity(models.TextChoices):
    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    SEVERE = "severe", _("特别重大")


class SecurityIncident(models.Model):
    """A security incident on a site: how it was found, how serious, the response, closure."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(_("发现时间"))
    source = models.CharField(_("发现途径"), max_length=10, choices=IncidentSource.choices)
    severity = models.CharField(_("级别"), max_length=10, choices=IncidentSeverity.choices)
    summary = models.TextField(_("事件概况"))
    response = models.TextField(_("处置情况"), blank=True)
    closed_at = models.DateTimeField(_("处置完毕时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uptime_alert = models.ForeignKey("monitoring.UptimeAlert", verbose_name=_("可用性告警"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+",
                                     help_text=_("由持续超过时限的可用性告警自动登记时的告警"))

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.site} {self.get_severity_display()} {self.summary[:30]}"


class EmergencyDrill(models.Model):
    """An emergency drill (应急演练): when, what scenario, what was found and improved."""

    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("单位"),
                                     on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("演练日期"))
    scenario = models.CharField(_("演练场景"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    findings = models.TextField(_("发现问题"), blank=True)
    improvements = models.TextField(_("改进措施"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.scenario}"
