"""在线调查: a questionnaire open between two dates, its questions and the public's responses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ..choices import QuestionKind


class Survey(ClusterableModel):
    """A questionnaire of one site, open from `opens_on` to `closes_on` (inclusive, Beijing).

    Its results are shown to the public only after it has closed.
    """

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.PROTECT, related_name="surveys")
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("调查单位"),
                                     on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("标题"), max_length=200)
    intro = models.TextField(_("调查说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    login_required = models.BooleanField(_("须登录后参与"), default=False,
                                         help_text=_("勾选后，只有登录的用户可以参与，每个账号一次。"))

    class Meta:
        verbose_name = _("在线调查")
        verbose_name_plural = _("在线调查")
        ordering = ["-opens_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="interaction_survey_dates")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})

    def state(self, today: dt.date | None = None) -> str:
        """upcoming, open or closed, by the dates (Beijing)."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    @property
    def state_label(self) -> str:
        return {"upcoming": "未开始", "open": "调查中", "closed": "已结束"}[self.state()]


class SurveyQuestion(Orderable):
    """One question: single choice, multiple choice (options one per line) or free text."""

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("问题"), max_length=300)
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices,
                            default=QuestionKind.SINGLE)
    options = models.TextField(_("选项（每行一个）"), blank=True,
                               help_text=_("单选题、多选题必填，每行一个选项；文字题留空。"))
    required = models.BooleanField(_("必答"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("调查问题")
        verbose_name_plural = _("调查问题")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind != QuestionKind.TEXT and len(self.option_list) < 2:
            raise ValidationError({"options": _("单选题、多选题至少需要两个选项，每行一个。")})

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class SurveyResponse(models.Model):
    """One person's answers to a survey: {question id: [option indexes] or text}.

    `respondent` is a digest naming the person (their account, or the random token of the
    signed cookie the page set); it is unique per survey, so nobody answers twice.
    """

    survey = models.ForeignKey(Survey, verbose_name=_("在线调查"), on_delete=models.CASCADE,
                               related_name="responses")
    respondent = models.CharField(_("参与者标识（摘要）"), max_length=64, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登录用户"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField(_("回答"), default=dict)
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("调查答卷")
        verbose_name_plural = _("调查答卷")
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "respondent"],
                                               name="interaction_survey_one_response")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.submitted_at:%Y-%m-%d %H:%M}"
