"""内容推送: a reader's e-mail subscription to a column or a whole site (PA-18)."""

from __future__ import annotations

from django.db import models


class Subscription(models.Model):
    """One address subscribed to one column (or a site's home, meaning the whole site).

    The address is personal data: it is kept sealed (core.crypto) and found again by its
    keyed digest. A subscription is live only once the reader has confirmed it from the
    e-mail (double opt-in); unsubscribing deletes the row.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE,
                             related_name="+", verbose_name="订阅的栏目或网站")
    sealed_email = models.TextField("电子邮箱（加密）")
    email_digest = models.CharField("电子邮箱摘要", max_length=64, db_index=True)
    requested_at = models.DateTimeField("申请时间")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    sent_up_to = models.DateTimeField("已推送至", null=True, blank=True,
                                      help_text="此前发布的信息已推送（或订阅前已发布）")

    class Meta:
        verbose_name = "内容订阅"
        verbose_name_plural = "内容订阅"
        constraints = [models.UniqueConstraint(fields=["page", "email_digest"],
                                               name="content_subscription_once_per_page")]

    def __str__(self) -> str:
        return f"订阅 #{self.pk}"
