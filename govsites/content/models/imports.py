"""导入批次: one import of one file, resumable and reversible (docs/import-format.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ImportRunState


class ImportRun(models.Model):
    """One import of a file into a site: progress, counts and errors.

    Records are written in batches, each in its own short transaction; `position` counts the
    records done in write order, so re-running the same file (same digest) continues after it.
    """

    site_root = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("网站"))
    file_name = models.CharField(_("文件"), max_length=255)
    file_digest = models.CharField(_("文件摘要"), max_length=64, db_index=True,
                                   help_text=_("SHA-256"))
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("操作人"))
    state = models.CharField(_("状态"), max_length=16, choices=ImportRunState.choices,
                             default=ImportRunState.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True,
        help_text="last batch written by a process that is still running; empty when none is")
    total = models.PositiveIntegerField(_("记录数"), default=0)
    position = models.PositiveIntegerField(_("已处理"), default=0)
    last_line = models.PositiveIntegerField(_("最后处理的行"), default=0)
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    held = models.JSONField(_("暂缓发布"), default=list, blank=True,
                            help_text=_("[行号, 标题, 原因]"))
    errors = models.JSONField(_("错误"), default=list, blank=True, help_text=_("[行号, 说明]"))

    wagtail_reference_index_ignore = True  # a record of work done, not content that links

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def held_count(self) -> int:
        """How many items the run kept as drafts for review (暂缓发布)."""
        return len(self.held)

    @property
    def error_count(self) -> int:
        """How many errors refused the file (校验错误)."""
        return len(self.errors)


class ImportRunEntry(models.Model):
    """A page an import run created or changed, with what is needed to undo it."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="entries")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField()
    created = models.BooleanField(help_text="the run created the page (undo: delete it)")
    previous_revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+")
    previous_live_revision = models.ForeignKey("wagtailcore.Revision",
                                               on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+")
    previous_fingerprint = models.CharField(max_length=64, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("导入批次条目")
        constraints = [models.UniqueConstraint(fields=["run", "page"],
                                               name="import_run_entry_run_page")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.line}"
