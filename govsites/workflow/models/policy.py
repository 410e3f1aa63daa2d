"""A site's review policy: which steps apply from which importance, and whether 三校 is on.

Without a policy row a site follows the national defaults, which are the steps' own
`applies_from` values in the default workflow and proofreading off.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AppliesFrom


class ReviewPolicy(models.Model):
    """One site's review settings (absent = national defaults)."""

    site = models.OneToOneField("govsites_sites.SiteProfile", on_delete=models.CASCADE,
                                related_name="review_policy", verbose_name=_("网站"))
    proofreading_enabled = models.BooleanField(
        _("启用三校"), default=False, help_text=_("启用后，审核流程中的校对步骤生效"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核策略")
        verbose_name_plural = _("审核策略")

    def __str__(self) -> str:
        return str(self.site)


class ReviewPolicyStep(models.Model):
    """A site's own threshold for one step, replacing the step's national default."""

    policy = models.ForeignKey(ReviewPolicy, on_delete=models.CASCADE, related_name="steps",
                               verbose_name=_("审核策略"))
    task = models.ForeignKey("wagtailcore.Task", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("审核步骤"))
    applies_from = models.CharField(_("适用范围"), max_length=10, choices=AppliesFrom.choices)

    class Meta:
        verbose_name = _("审核步骤设置")
        verbose_name_plural = _("审核步骤设置")
        constraints = [models.UniqueConstraint(fields=["policy", "task"],
                                               name="review_policy_step_task")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.applies_from}"
