"""会签 (countersigning): a step that several organisations must each approve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tasks import ReviewTaskBase, ReviewTaskState


class CountersignTask(ReviewTaskBase):
    """会签: the holders of the step's role in each listed organisation must all approve.

    Any of them may send the item back with a written opinion. The organisation that owns the
    item is not asked again when it is listed (its own chain has approved it).
    """

    organisations = models.ManyToManyField("govsites_sites.Organisation", blank=True,
                                           related_name="+", verbose_name=_("会签单位"))

    admin_form_fields = [*ReviewTaskBase.admin_form_fields, "organisations"]

    class Meta:
        verbose_name = _("会签")
        verbose_name_plural = _("会签")

    @classmethod
    def get_description(cls) -> str:
        return str(_("由多个单位分别审核；全部单位同意后通过，任一单位可退回修改"))


class CountersignDecision(models.TextChoices):
    PENDING = "pending", _("待会签")
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("退回")


class CountersignSignature(models.Model):
    """One organisation's part of a 会签 step on one revision."""

    task_state = models.ForeignKey(ReviewTaskState, on_delete=models.CASCADE,
                                   related_name="signatures", verbose_name=_("审核步骤"))
    organisation = models.ForeignKey("govsites_sites.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("会签单位"))
    decision = models.CharField(_("会签意见"), max_length=10, choices=CountersignDecision.choices,
                                default=CountersignDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("会签人"))
    decided_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("会签记录")
        verbose_name_plural = _("会签记录")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["task_state", "organisation"],
                                               name="countersign_once_per_organisation")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.get_decision_display()}"
