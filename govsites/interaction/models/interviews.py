"""在线访谈: a scheduled event with guests, the public's questions and the guests' answers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CommentStatus


class Interview(models.Model):
    """An online interview of one site, live from `starts_at` to `ends_at`.

    Citizens send questions in advance and during the event; moderators publish them and type
    the guests' answers while it is live; afterwards the transcript becomes an article of the
    site's 在线访谈 column (`archived_page_id`).
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="interviews")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("主办单位"),
                                     on_delete=models.PROTECT, related_name="interviews")
    title = models.CharField(_("访谈主题"), max_length=200)
    summary = models.TextField(_("访谈简介"), blank=True)
    guests = models.TextField(_("访谈嘉宾（每行一位：姓名，职务）"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    archived_page_id = models.PositiveIntegerField(_("文字实录文章"), null=True, blank=True,
                                                   editable=False)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")
        ordering = ["-starts_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="interaction_interview_times")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
        if not self.guest_list:
            raise ValidationError({"guests": _("请至少填写一位访谈嘉宾。")})

    def state(self, now: dt.datetime | None = None) -> str:
        """upcoming (questions in advance), live, or ended."""
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        return "live" if now < self.ends_at else "ended"

    @property
    def state_label(self) -> str:
        return {"upcoming": "预告（欢迎提问）", "live": "正在直播", "ended": "已结束"}[self.state()]

    @property
    def guest_list(self) -> list[str]:
        return [line.strip() for line in self.guests.splitlines() if line.strip()]


class InterviewQuestion(models.Model):
    """A citizen's question; shown only once a moderator publishes it, with its answer if any."""

    interview = models.ForeignKey(Interview, verbose_name=_("在线访谈"), on_delete=models.CASCADE,
                                  related_name="questions")
    content = models.TextField(_("问题（已隐去个人信息）"))
    sealed_name = models.TextField(_("网民称呼（加密）"), blank=True, editable=False)
    in_advance = models.BooleanField(_("访谈前提问"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    held_reasons = models.JSONField(_("内容检查结果"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提问时间"))
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    answer = models.TextField(_("嘉宾回答"), blank=True)
    answered_by = models.CharField(_("回答嘉宾"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("回答时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("访谈提问")
        verbose_name_plural = _("访谈提问")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.interview_id} {self.get_status_display()}"
