"""Writes of 在线访谈 (online interviews): questions, moderation, live answers, the transcript.

Citizens ask before the event (in advance) and while it is live; nothing shows until a
moderator of the organisation publishes it; the moderator types each guest's answer during
the event and the public page picks it up without reloading (it polls the JSON feed). After the
event the transcript becomes an article of the site's 在线访谈 column, created and published
through the content app's services (published at once by someone who may publish there,
else left as a draft for the review chain).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites.core import audit, crypto
from govsites.screening.selectors import current_screener

from . import audit as actions
from . import policies
from .choices import CommentStatus
from .exceptions import NotAllowed, TransitionRefused
from .models import Interview, InterviewQuestion
from .privacy import redact
from .services import HOLD_CATEGORIES

MAX_QUESTION = 500
MAX_ANSWER = 5000
INTERVIEW_COLUMN_TYPE = "在线访谈"


def _require_manager(user: Any, interview: Interview) -> None:
    if not policies.can_manage_interview(user, interview):
        raise NotAllowed(_("只能管理本单位的在线访谈。"))


def submit_question(*, interview: Interview, content: str, name: str = "",
                    now: dt.datetime | None = None) -> InterviewQuestion:
    """Receive a citizen's question before or during the event; it waits for moderation."""
    now = now or timezone.now()
    content, name = content.strip(), name.strip()[:30]
    state = interview.state(now)
    if state == "ended":
        raise TransitionRefused(_("访谈已结束，不再接受提问。"))
    if not content or len(content) > MAX_QUESTION:
        raise ValidationError({"content": _("问题不能为空，且不超过%(n)s字。") % {"n": MAX_QUESTION}})
    findings = current_screener().scan_text(content, location="interview")
    held = sorted({f.rule_id for f in findings if f.category in HOLD_CATEGORIES})
    with transaction.atomic():
        question = InterviewQuestion.objects.create(
            interview=interview, content=redact(content), sealed_name=crypto.seal(name),
            in_advance=state == "upcoming", held_reasons=held, submitted_at=now)
        audit.record(action=actions.INTERVIEW_ASK, actor=None, obj=question,
                     organisation=interview.organisation_id,
                     details={"interview": interview.pk, "in_advance": question.in_advance,
                              "held": held})
    return question


@transaction.atomic
def moderate_question(*, question: InterviewQuestion, acting_user: Any,
                      publish: bool) -> InterviewQuestion:
    """Publish a pending question on the interview's page, or keep it off."""
    question = InterviewQuestion.objects.select_for_update().select_related(
        "interview").get(pk=question.pk)
    _require_manager(acting_user, question.interview)
    if question.status != CommentStatus.PENDING:
        raise TransitionRefused(_("这条提问已审核过。"))
    question.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    question.moderated_at = timezone.now()
    question.save(update_fields=["status", "moderated_at"])
    audit.record(action=actions.INTERVIEW_MODERATE, actor=acting_user, obj=question,
                 organisation=question.interview.organisation_id,
                 details={"interview": question.interview_id, "status": question.status})
    return question


@transaction.atomic
def answer_question(*, question: InterviewQuestion, acting_user: Any, guest: str,
                    answer: str, now: dt.datetime | None = None) -> InterviewQuestion:
    """Record a guest's answer to a published question during the event (shown at once)."""
    now = now or timezone.now()
    question = InterviewQuestion.objects.select_for_update().select_related(
        "interview").get(pk=question.pk)
    interview = question.interview
    _require_manager(acting_user, interview)
    if interview.state(now) != "live":
        raise TransitionRefused(_("只能在访谈进行中回答提问。"))
    if question.status != CommentStatus.PUBLISHED:
        raise TransitionRefused(_("请先审核通过这条提问，再回答。"))
    guest, answer = guest.strip(), answer.strip()
    if guest not in interview.guest_list:
        raise ValidationError({"guest": _("请选择回答的嘉宾。")})
    if not answer or len(answer) > MAX_ANSWER:
        raise ValidationError({"answer": _("回答不能为空，且不超过%(n)s字。") % {"n": MAX_ANSWER}})
    corrected = question.answered_at is not None
    question.answer, question.answered_by, question.answered_at = answer, guest, now
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit.record(action=actions.INTERVIEW_ANSWER, actor=acting_user, obj=question,
                 organisation=interview.organisation_id,
                 details={"interview": interview.pk, "corrected": corrected})
    return question


def _interview_column(home: Any) -> Any:
    from govsites.content.models import ColumnPage

    column = (ColumnPage.objects.descendant_of(home).filter(column_type=INTERVIEW_COLUMN_TYPE)
              .order_by("path").first())
    if column is None:
        raise TransitionRefused(_("本网站没有“在线访谈”类别的栏目，请网站管理员先建立该栏目。"))
    return column


def transcript_html(interview: Interview) -> str:
    """The transcript: guests, time, introduction, and each answered question in order."""
    answered = list(interview.questions.filter(status=CommentStatus.PUBLISHED)
                    .exclude(answered_at=None).order_by("answered_at", "pk"))
    return render_to_string("interaction/interview_transcript.html",
                            {"interview": interview, "answered": answered})


def archive_interview(*, interview: Interview, acting_user: Any) -> Any:
    """Archive the ended interview's transcript as an article of the site's 在线访谈 column.

    The article is published at once when the acting person may publish in that column;
    otherwise it is saved as a draft for the review chain to publish.
    """
    from govsites.content.models import ArticlePage
    from govsites.content.services import publish_item, unique_child_slug

    with transaction.atomic():
        interview = Interview.objects.select_for_update().select_related("site", "site__site").get(
            pk=interview.pk)
        _require_manager(acting_user, interview)
        if interview.state() != "ended":
            raise TransitionRefused(_("访谈结束后才能归档文字实录。"))
        if interview.archived_page_id is not None:
            raise TransitionRefused(_("这次访谈的文字实录已经归档。"))
        home = interview.site.site.root_page.specific
        column = _interview_column(home)
        title = f"{interview.title}（文字实录）"
        item = ArticlePage(title=title, slug=unique_child_slug(column, f"interview-{interview.pk}"),
                           body=transcript_html(interview), summary=interview.summary[:200] or title,
                           live=False, owner=acting_user)
        column.add_child(instance=item)
        published = acting_user is None or item.permissions_for_user(acting_user).can_publish()
        if published:
            publish_item(item=item, acting_user=acting_user)
        else:  # the review chain publishes it (三审三校)
            item.save_revision(user=acting_user, log_action=True)
        interview.archived_page_id = item.pk
        interview.archived_at = timezone.now()
        interview.save(update_fields=["archived_page_id", "archived_at"])
        audit.record(action=actions.INTERVIEW_ARCHIVE, actor=acting_user, obj=interview,
                     organisation=interview.organisation_id,
                     details={"page": item.pk, "column": column.pk, "published": published})
    return item
