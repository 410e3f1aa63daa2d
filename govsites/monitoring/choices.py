from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    CLOSED = "closed", _("已销号")


class TicketEventKind(models.TextChoices):
    OPENED = "opened", _("开具整改单")
    RECHECK_FAILED = "recheck_failed", _("复查未通过")
    CLOSED = "closed", _("复查通过，销号")


class ProbeOutcome(models.TextChoices):
    OK = "ok", _("正常")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("未探测（不在允许访问的网络范围内）")


class Severity(models.TextChoices):
    INFO = "info", _("提示")
    WARNING = "warning", _("一般")
    SERIOUS = "serious", _("严重")
    VETO = "veto", _("单项否决")


class InspectionStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")
