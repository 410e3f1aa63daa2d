"""Force publications (强制发布) and their retrospective approval (事后审批)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForcePublication(models.Model):
    """An item published without the review chain; it stays on the report until approved."""

    item = models.ForeignKey("content.ContentItem", on_delete=models.PROTECT,
                             related_name="force_publications", verbose_name=_("信息"))
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("发布的版本"))
    organisation = models.ForeignKey("govsites_sites.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("责任单位"))
    reason = models.TextField(_("强制发布理由"))
    forced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("强制发布人"))
    forced_at = models.DateTimeField(_("强制发布时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("提交人"))
    cancelled_workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("被中止的审核"))
    open_findings = models.PositiveIntegerField(_("发布时未处理的检查问题"), default=0)
    retrospective_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("事后审批人"))
    retrospective_approved_at = models.DateTimeField(_("事后审批时间"), null=True, blank=True)
    retrospective_comment = models.TextField(_("事后审批意见"), blank=True)

    class Meta:
        verbose_name = _("强制发布记录")
        verbose_name_plural = _("强制发布记录")
        ordering = ["-forced_at", "-pk"]
        permissions = [
            ("force_publish", _("可以强制发布信息（不经审核流程）")),
            ("approve_force_publication", _("可以事后审批强制发布的信息")),
        ]

    def __str__(self) -> str:
        return f"{self.item} @ {self.forced_at:%Y-%m-%d %H:%M}"

    @property
    def awaiting_approval(self) -> bool:
        return self.retrospective_approved_at is None
