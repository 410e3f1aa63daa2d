"""What is live: every file the publisher wrote (the manifest), every public address it ever
answered (the URL registry) and the proper nouns that 繁体 conversion must leave alone."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedFile(models.Model):
    """One file of the published tree, as the publisher wrote it (SM3, size, time).

    The guard compares the tree on disk and the live HTTP answers with these rows; `target`
    names what produced the file so that a damaged file can be re-rendered from the database.

    A write is announced before the file is replaced (`pending` = the new digest, committed
    first) and confirmed after (`sm3` = the new digest, `pending` cleared); a removal is
    announced with `pending` = "-". So a publisher killed at any point leaves no file that the
    manifest does not know: the guard accepts the old or the announced version and repairs it.
    A row whose file was never written has an empty `sm3`.
    """

    hostname = models.CharField(_("站点主机名"), max_length=253)
    path = models.CharField(_("文件路径"), max_length=500,
                            help_text=_("相对站点发布目录，例如 news/item-1/index.html"))
    sm3 = models.CharField(_("摘要(SM3)"), max_length=64)
    size = models.PositiveBigIntegerField(_("字节数"))
    written_at = models.DateTimeField(_("写入时间"))
    target = models.CharField(_("生成来源"), max_length=100, db_index=True)
    page_id = models.BigIntegerField(_("页面编号"), null=True, blank=True, db_index=True)
    pending = models.CharField(_("正在写入的摘要"), max_length=64, blank=True, default="",
                               help_text=_("写入过程中的新摘要；“-”表示正在删除"))
    pending_size = models.PositiveBigIntegerField(_("正在写入的字节数"), null=True, blank=True)

    class Meta:
        verbose_name = _("发布文件")
        verbose_name_plural = _("发布文件清单")
        constraints = [
            models.UniqueConstraint(fields=["hostname", "path"], name="published_file_host_path"),
        ]

    def __str__(self) -> str:
        return f"{self.hostname}/{self.path}"


class UrlState(models.TextChoices):
    LIVE = "live", _("在线")
    GONE = "gone", _("已下线(410)")
    MOVED = "moved", _("已迁移(301)")


class PublishedUrl(models.Model):
    """A public address that was once live. Rows are never deleted: an address that has been
    published answers forever, with the page, a 301 to where it moved, or 410."""

    hostname = models.CharField(_("站点主机名"), max_length=253)
    path = models.CharField(_("地址"), max_length=500)
    page_id = models.BigIntegerField(_("页面编号"), null=True, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=10, choices=UrlState.choices,
                             default=UrlState.LIVE)
    target = models.CharField(_("迁移到"), max_length=500, blank=True)
    first_published_at = models.DateTimeField(_("首次发布"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("发布地址")
        verbose_name_plural = _("发布地址")
        constraints = [
            models.UniqueConstraint(fields=["hostname", "path"], name="published_url_host_path"),
        ]

    def __str__(self) -> str:
        return f"{self.hostname}{self.path} ({self.state})"


class ProtectedTerm(models.Model):
    """A proper noun that must appear unchanged in the 繁体 version (e.g. a place name that the
    simplified-to-traditional dictionary would wrongly convert)."""

    term = models.CharField(_("词语"), max_length=100, unique=True)
    replacement = models.CharField(
        _("繁体写法"), max_length=100, blank=True,
        help_text=_("留空则保持原样；填写则在繁体版中使用这一写法"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("简繁转换保护词")
        verbose_name_plural = _("简繁转换保护词")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class ManualResult(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("未通过")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class ManualAccessibilityCheck(models.Model):
    """An evaluator's result for one WCAG 2.0 success criterion on one site (PA-07): the
    criteria no automated rule can judge (captions, meaningful sequence …) are evaluated by
    hand; the latest result of each criterion counts."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="manual_accessibility_checks")
    criterion = models.CharField(_("WCAG 2.0 成功准则"), max_length=8)
    result = models.CharField(_("结果"), max_length=16, choices=ManualResult.choices)
    checked_on = models.DateField(_("评测日期"))
    evaluator = models.CharField(_("评测人或机构"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("无障碍人工评测结果")
        verbose_name_plural = _("无障碍人工评测结果")
        ordering = ["site", "criterion", "-checked_on", "-pk"]
        indexes = [models.Index(fields=["site", "criterion", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.site} {self.criterion} {self.result}"
