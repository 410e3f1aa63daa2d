"""Mailboxes (信箱), the messages written to them (留言), their history and their replies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govsites.core import crypto

from ..choices import (
    EnquiryKind,
    EnquiryStatus,
    EventKind,
    HotlineForwarding,
    InvalidReason,
    MailboxKind,
    ReplyStatus,
    Satisfaction,
)


class Mailbox(models.Model):
    """A 领导信箱 or 部门信箱 of one site, answered by one organisation.

    `reply_working_days` is this mailbox's deadline; empty means the rule set's
    `interaction.reply_working_days` (5 working days nationally, a platform default).
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="mailboxes")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("办理单位"),
                                     on_delete=models.PROTECT, related_name="mailboxes")
    name = models.CharField(_("信箱名称"), max_length=60)
    slug = models.SlugField(_("地址"), max_length=40,
                            help_text=_("信箱网址的一部分，如 mayor，只用小写字母、数字和连字符。"))
    kind = models.CharField(_("信箱类型"), max_length=20, choices=MailboxKind.choices)
    description = models.TextField(_("信箱说明"), blank=True)
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), null=True, blank=True,
        help_text=_("留空则按规则设置中的默认答复时限。"))
    is_open = models.BooleanField(_("接收留言"), default=True)
    hotline_forwarding = models.CharField(
        _("推送12345热线"), max_length=10, choices=HotlineForwarding.choices,
        default=HotlineForwarding.RULE,
        help_text=_("“按规则设置”即按规则 interaction.route_via_12345（梅州为推送）。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("信箱")
        verbose_name_plural = _("信箱")
        ordering = ["site", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"],
                                               name="interaction_mailbox_slug_per_site")]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    """One message (留言) from the public to a mailbox, and where its handling stands.

    The writer's name, mobile and e-mail and the original text are sealed with SM4
    (`crypto`); `subject` and `content` keep the text with personal data masked, which is all
    any public page, API or log ever shows. The clock runs from `received_at`: `reply_due` is
    fixed on receipt and a transfer keeps it (转办 keeps the original clock).
    """

    mailbox = models.ForeignKey(Mailbox, verbose_name=_("信箱"), on_delete=models.PROTECT,
                                related_name="enquiries")
    handling_organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("办理单位"), on_delete=models.PROTECT,
        related_name="enquiries")
    kind = models.CharField(_("留言类型"), max_length=20, choices=EnquiryKind.choices)
    subject = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容（已隐去个人信息）"))
    sealed_content = models.TextField(_("原文（加密）"), editable=False)
    sealed_name = models.TextField(_("姓名（加密）"), editable=False)
    sealed_mobile = models.TextField(_("手机号码（加密）"), editable=False)
    sealed_email = models.TextField(_("电子邮箱（加密）"), blank=True, editable=False)
    publish_allowed = models.BooleanField(_("同意公开"), default=False)
    query_code = models.CharField(_("查询码"), max_length=20, unique=True)
    password_hash = models.CharField(_("查询密码"), max_length=128, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=EnquiryStatus.choices,
                              default=EnquiryStatus.RECEIVED)
    held_reasons = models.JSONField(_("转人工审查的原因"), default=list, blank=True)
    received_at = models.DateTimeField(_("留言时间"))
    accepted_at = models.DateTimeField(_("受理日期"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复日期"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"))
    invalid_reason = models.CharField(_("不予受理原因"), max_length=20, blank=True,
                                      choices=InvalidReason.choices)
    invalid_note = models.CharField(_("不予受理说明"), max_length=200, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, blank=True,
                                    choices=Satisfaction.choices)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    citizen = models.ForeignKey("accounts.CitizenAccount", verbose_name=_("公众用户"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                editable=False, related_name="+")
    working_days_taken = models.PositiveSmallIntegerField(_("答复用时（工作日）"), null=True,
                                                          blank=True)
    client_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["mailbox", "status"]),
                   models.Index(fields=["status", "received_at"])]
        constraints = [models.CheckConstraint(
            condition=~models.Q(status=EnquiryStatus.INVALID) | ~models.Q(invalid_reason=""),
            name="interaction_invalid_has_reason")]

    def __str__(self) -> str:
        return f"{self.query_code} {self.subject}"

    @property
    def writer_name(self) -> str:
        return crypto.open_sealed(self.sealed_name)

    @property
    def writer_mobile(self) -> str:
        return crypto.open_sealed(self.sealed_mobile)

    @property
    def writer_email(self) -> str:
        return crypto.open_sealed(self.sealed_email)

    @property
    def original_content(self) -> str:
        return crypto.open_sealed(self.sealed_content)

    @property
    def is_public(self) -> bool:
        return self.status == EnquiryStatus.REPLIED and self.publish_allowed

    @property
    def on_time(self) -> bool | None:
        if self.replied_at is None:
            return None
        from django.utils import timezone

        return timezone.localtime(self.replied_at).date() <= self.reply_due


class EnquiryEvent(models.Model):
    """One step in a message's handling (append-only; the citizen sees the public ones)."""

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("留言"), on_delete=models.CASCADE,
                                related_name="events")
    kind = models.CharField(_("环节"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("单位"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    to_organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("转至单位"),
                                        null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.kind}"


class Reply(models.Model):
    """A reply drafted by one person; published only when someone else approves it."""

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("留言"), on_delete=models.CASCADE,
                                related_name="replies")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("答复部门"),
                                     on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("答复内容"))
    status = models.CharField(_("状态"), max_length=20, choices=ReplyStatus.choices,
                              default=ReplyStatus.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拟稿人"),
                               on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    screening = models.JSONField(_("内容检查结果"), default=list, blank=True)
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.get_status_display()}"

    def as_public(self) -> dict[str, Any]:
        return {"organisation": self.organisation.name, "body": self.body}


class CitizenNotice(models.Model):
    """A notice sent to a message's writer (accepted, replied): recorded so each goes once."""

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("留言"), on_delete=models.CASCADE,
                                related_name="notices")
    key = models.CharField(_("提醒事项"), max_length=40)
    channels = models.CharField(_("发送方式"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网民提醒记录")
        verbose_name_plural = _("网民提醒记录")
        constraints = [models.UniqueConstraint(fields=["enquiry", "key"],
                                               name="interaction_citizen_notice_once")]

    def __str__(self) -> str:
        return f"{self.enquiry_id} {self.key}"


class EnquiryAttachment(models.Model):
    """A file sent with a message, sealed with SM4 like the writer's details (staff only)."""

    enquiry = models.ForeignKey(Enquiry, verbose_name=_("留言"), on_delete=models.CASCADE,
                                related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sealed_data = models.BinaryField(_("内容（加密）"))

    class Meta:
        verbose_name = _("留言附件")
        verbose_name_plural = _("留言附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
