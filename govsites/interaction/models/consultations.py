"""意见征集: a draft put to the public between two dates, its moderated comments, its 采纳情况."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CommentStatus


class Consultation(models.Model):
    """A draft policy open for comments from `opens_on` to `closes_on` (inclusive).

    Its state follows the dates, so the public page changes by itself when it opens and closes.
    After closing, the 采纳情况 (what was adopted and why not) is due by `adoption_due`
    (`consultation.adoption_publish_months` after closing; 梅州 one month, IA-10).
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="consultations")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("征集单位"),
                                     on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("标题"), max_length=200)
    draft = models.TextField(_("征求意见稿"))
    attachment = models.ForeignKey("wagtaildocs.Document", verbose_name=_("附件"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    adoption = models.TextField(_("采纳情况"), blank=True,
                                help_text=_("采纳了哪些意见、未采纳的理由。"))
    adoption_published_at = models.DateTimeField(_("采纳情况公布时间"), null=True, blank=True,
                                                 editable=False)
    adoption_due = models.DateField(_("采纳情况公布期限"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="interaction_consultation_dates")]

    def __str__(self) -> str:
        return self.title

    def state(self, today: dt.date | None = None) -> str:
        """upcoming, open or closed, by the dates (Beijing)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    @property
    def state_label(self) -> str:
        return {"upcoming": "未开始", "open": "征集中", "closed": "已结束"}[self.state()]

    @property
    def adoption_late(self) -> bool:
        """The 采纳情况 was due and is not published (or was published after the due date)."""
        if self.adoption_due is None:
            return False
        if self.adoption_published_at is None:
            return timezone.localdate() > self.adoption_due
        return timezone.localtime(self.adoption_published_at).date() > self.adoption_due


class ConsultationComment(models.Model):
    """One comment on a consultation; shown publicly only after a moderator publishes it."""

    consultation = models.ForeignKey(Consultation, verbose_name=_("意见征集"),
                                     on_delete=models.CASCADE, related_name="comments")
    content = models.TextField(_("意见内容（已隐去个人信息）"))
    sealed_name = models.TextField(_("姓名（加密）"), blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    held_reasons = models.JSONField(_("内容检查结果"), default=list, blank=True)
    created_at = models.DateTimeField(_("提交时间"))
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.get_status_display()}"
