"""Messages pushed to the 12345 政务服务便民热线 for synchronous handling (IA-09, 梅州 第22条)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import HotlineStatus


class HotlineForward(models.Model):
    """One message's push to the 12345 hotline and what came back.

    Created in the same transaction as the message, so a push can never be lost: the task
    worker sends it after commit, and the retry job sends again whatever is still PENDING
    (`next_attempt_at`), alerting the handlers once `attempts` reaches the alert threshold.
    The hotline's ticket number (工单编号) and its reply arrive with the receipt, by callback or
    by import; the message's own reply deadline is never changed by any of it.
    """

    enquiry = models.OneToOneField("Enquiry", verbose_name=_("留言"), on_delete=models.CASCADE,
                                   related_name="hotline_forward")
    status = models.CharField(_("推送状态"), max_length=20, choices=HotlineStatus.choices,
                              default=HotlineStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("推送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次推送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次失败原因"), max_length=300, blank=True)
    alerted = models.BooleanField(_("已提醒推送失败"), default=False)
    ticket_number = models.CharField(_("12345工单编号"), max_length=40, blank=True)
    forwarded_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    hotline_reply = models.TextField(_("12345办理结果"), blank=True)
    hotline_replied_at = models.DateTimeField(_("12345答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("12345热线推送")
        verbose_name_plural = _("12345热线推送")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [models.UniqueConstraint(
            fields=["ticket_number"], condition=~models.Q(ticket_number=""),
            name="interaction_hotline_ticket_once")]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.ticket_number or self.get_status_display()}"
