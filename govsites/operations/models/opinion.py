"""政务舆情 (IA-11): the register of public-opinion events and their response clocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionEvent(models.Model):
    """A public-opinion event (政务舆情) an organisation must respond to.

    A 重大突发事件 also needs a press conference (新闻发布会). The clocks run from `detected_at`;
    their hours are rule data (`opinion.press_conference_hours`, `opinion.response_hours`) read
    when the event is judged, so a variant or an override applies to open events too.
    """

    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("责任单位"),
                                     on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("回应网站"),
                             on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("舆情事项"), max_length=200)
    detected_at = models.DateTimeField(_("发现时间"))
    major_emergency = models.BooleanField(_("重大突发事件"), default=False,
                                          help_text=_("重大突发事件须按时限举行新闻发布会"))
    summary = models.TextField(_("舆情概况"), blank=True)
    press_conference_at = models.DateTimeField(_("新闻发布会时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    response = models.TextField(_("回应内容"), blank=True)
    response_url = models.URLField(_("回应地址"), max_length=500, blank=True)
    overdue_alerted = models.JSONField(_("已发出的超时告警"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("政务舆情")
        verbose_name_plural = _("政务舆情")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return self.title
