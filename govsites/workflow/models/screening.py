"""What content screening found on a revision, and who overrode each finding and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govsites.screening.types import Severity


class ScreeningRun(models.Model):
    """One screening of one revision (title, text fields, body and attachments)."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("修订版本"))
    task_state = models.ForeignKey("ReviewTaskState", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="screening_runs",
                                   verbose_name=_("审核步骤"))
    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    attachments_scanned = models.PositiveIntegerField(_("检查附件数"), default=0)

    class Meta:
        verbose_name = _("内容检查记录")
        verbose_name_plural = _("内容检查记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.revision_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class ScreeningFinding(models.Model):
    """One finding with its place. Evidence is stored masked, as the screener returns it."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="findings",
                            verbose_name=_("检查记录"))
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("修订版本"))
    rule_id = models.CharField(_("规则"), max_length=100)
    category = models.CharField(_("类别"), max_length=30)
    severity = models.CharField(_("严重程度"), max_length=10)
    location = models.CharField(_("位置"), max_length=300)
    offset = models.IntegerField(_("字符位置"), default=-1)
    evidence = models.CharField(_("问题内容（已脱敏）"), max_length=500)
    context = models.CharField(_("上下文"), max_length=500, blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("忽略人"))
    override_reason = models.TextField(_("忽略理由"), blank=True)
    overridden_at = models.DateTimeField(_("忽略时间"), null=True, blank=True)
    override_carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("沿用的忽略记录"),
        help_text=_("修改后重新检查时，同一位置的同一问题沿用此前的忽略理由"))

    class Meta:
        verbose_name = _("检查发现的问题")
        verbose_name_plural = _("检查发现的问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.location}"

    @property
    def is_open(self) -> bool:
        """Waiting for a reviewer's written reason. A 提示 (info) finding is shown, never held."""
        return self.overridden_at is None and self.severity != Severity.INFO.value
