"""Knowledge base (智能问答): curated questions and answers, and the questions nobody answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FaqEntry(models.Model):
    """A question and its answer, written by staff or curated from an answered message."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("答案"))
    organisation = models.ForeignKey("govsites_sites.Organisation", verbose_name=_("答复部门"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    source = models.ForeignKey("govsites_interaction.Enquiry", verbose_name=_("来源留言"),
                               null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="faq_entries")
    is_published = models.BooleanField(_("公开"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("整理人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.question


class UnansweredQuestion(models.Model):
    """A question asked of 智能问答 that found no answer (for the FAQ editors), with its count."""

    site = models.ForeignKey("govsites_sites.SiteProfile", verbose_name=_("网站"),
                             on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("问题"), max_length=200)
    times = models.PositiveIntegerField(_("提问次数"), default=1)
    last_asked_at = models.DateTimeField(_("最近提问时间"))

    class Meta:
        verbose_name = _("未解答的问题")
        verbose_name_plural = _("未解答的问题")
        ordering = ["-times", "-last_asked_at"]
        constraints = [models.UniqueConstraint(fields=["site", "question"],
                                               name="interaction_unanswered_question_once")]

    def __str__(self) -> str:
        return self.question
