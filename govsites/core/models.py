"""Core models: the audit trail and the editable working-day calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One state change anywhere on the platform. Append-only; chained with SM3.

    A record is inserted by the writer without seq, prev_hash and hash (the outbox); the chainer
    (core.audit.chain_pending) fills those three in commit order, never touching the content.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    organisation_id = models.BigIntegerField(_("单位"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前序摘要"), max_length=64, blank=True, default="")
    hash = models.CharField(_("摘要(SM3)"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [
            # The chainer's queue: the records not yet chained, in insertion order.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True),
                         name="core_audit_unchained"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """The chain's last link. Only the chainer locks it, in its own short transaction."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement an administrator has entered by hand.

    chinesecalendar only knows the years up to its release; for a later year the
    State Council's notice must be entered and the year marked complete before any
    deadline in it can be computed.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True,
                              help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"))
    complete = models.BooleanField(_("已完整录入"), default=False,
                                   help_text=_("勾选后，该年未列出的周一至周五视为工作日，周六周日视为休息日"))

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: an official holiday or a 调休 workday.

    Rows here override chinesecalendar too, so a correction never waits for a package release.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日/休息日")
        WORKDAY = "workday", _("调休工作日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如：春节"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class PeriodicJobRun(models.Model):
    """When the worker's scheduler last enqueued a periodic job."""

    name = models.CharField(_("任务"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("上次执行"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name


class WorkerLease(models.Model):
    """A task-processing process of `govsites worker`, on any node, and its heartbeat.

    The task queue records which worker id claimed a task; a RUNNING task whose worker's
    lease has lapsed (no heartbeat for GOVSITES_WORKER_LEASE_SECONDS) or was ended is put
    back in the queue by any node's worker (see core/workers.py).
    """

    worker_id = models.CharField(_("进程标识"), max_length=64, unique=True)
    node = models.CharField(_("主机"), max_length=100)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)
    ended_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务处理进程")
        verbose_name_plural = _("任务处理进程")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.node}:{self.pid})"


class NotificationPreference(models.Model):
    """How one person wants to be told: e-mail and/or SMS, and where (通知设置).

    Without a row a person gets both, at the e-mail address and mobile number of their account.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                                on_delete=models.CASCADE, related_name="notification_preference")
    email_enabled = models.BooleanField(_("接收邮件提醒"), default=True)
    sms_enabled = models.BooleanField(_("接收短信提醒"), default=True)
    email = models.EmailField(_("提醒邮箱"), blank=True,
                              help_text=_("留空则使用账号的电子邮箱"))
    mobile = models.CharField(_("提醒手机号码"), max_length=11, blank=True,
                              help_text=_("留空则使用账号的手机号码"))

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class NotificationDelivery(models.Model):
    """One notice sent to one person about one item on one day (the de-duplication record)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"),
                                  on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("提醒类型"), max_length=40)
    item_key = models.CharField(_("事项"), max_length=100)
    day = models.DateField(_("日期"))
    subject = models.CharField(_("标题"), max_length=200)
    channels = models.CharField(_("发送方式"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["recipient", "kind", "item_key", "day"],
                                               name="notification_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.item_key} → {self.recipient_id}"
