"""Writes and reads of 意见征集 (consultations): saving, comments, moderation, 采纳情况.

The 采纳情况 deadline is rule data: `consultation.adoption_publish_months` calendar months
after the closing date (IA-10; 梅州 one month; empty: not tracked). It is fixed when the
consultation is saved, reminded by the daily job and shown late in the admin and publicly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govsites import rules
from govsites.core import audit, crypto
from govsites.screening.selectors import current_screener

from . import audit as actions
from . import policies
from .choices import CommentStatus
from .exceptions import NotAllowed, TransitionRefused
from .models import Consultation, ConsultationComment
from .privacy import redact
from .services import HOLD_CATEGORIES

MAX_COMMENT = 2000


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def adoption_due_for(consultation: Consultation) -> dt.date | None:
    """When the 采纳情况 of a consultation is due (None where the rules set no limit)."""
    months = rules.value("consultation.adoption_publish_months", site=consultation.site)
    return add_months(consultation.closes_on, int(months)) if months is not None else None


@transaction.atomic
def save_consultation(*, consultation: Consultation, acting_user: Any) -> Consultation:
    """Create or change a consultation (validated) and fix its 采纳情况 deadline."""
    if acting_user is not None and not policies.can_manage_consultation(acting_user, consultation):
        raise NotAllowed(_("只能管理本单位的意见征集。"))
    consultation.adoption_due = adoption_due_for(consultation) if consultation.closes_on else None
    consultation.full_clean()
    created = consultation.pk is None
    consultation.save()
    audit.record(action=actions.CONSULTATION_SAVE, actor=acting_user, obj=consultation,
                 organisation=consultation.organisation_id,
                 details={"created": created, "opens_on": consultation.opens_on.isoformat(),
                          "closes_on": consultation.closes_on.isoformat()})
    return consultation


def refresh_adoption_due(*, consultation: Consultation) -> Consultation:
    """Fix the 采纳情况 deadline after the admin's editor saved the consultation's dates."""
    due = adoption_due_for(consultation)
    if due != consultation.adoption_due:
        Consultation.objects.filter(pk=consultation.pk).update(adoption_due=due)
        consultation.adoption_due = due
    return consultation


def submit_comment(*, consultation: Consultation, content: str, name: str = "",
                   now: dt.datetime | None = None) -> ConsultationComment:
    """Receive a comment while the consultation is open; it waits for moderation."""
    now = now or timezone.now()
    content, name = content.strip(), name.strip()[:30]
    if consultation.state(timezone.localtime(now).date()) != "open":
        raise TransitionRefused(_("该意见征集不在征集期内。"))
    if not content or len(content) > MAX_COMMENT:
        raise ValidationError({"content": _("意见内容不能为空，且不超过%(n)s字。") % {"n": MAX_COMMENT}})
    findings = current_screener().scan_text(content, location="comment")
    held = sorted({f.rule_id for f in findings if f.category in HOLD_CATEGORIES})
    with transaction.atomic():
        comment = ConsultationComment.objects.create(
            consultation=consultation, content=redact(content), sealed_name=crypto.seal(name),
            held_reasons=held, created_at=now)
        audit.record(action=actions.COMMENT_SUBMIT, actor=None, obj=comment,
                     organisation=consultation.organisation_id,
                     details={"consultation": consultation.pk, "held": held})
    return comment


@transaction.atomic
def moderate_comment(*, comment: ConsultationComment, acting_user: Any,
                     publish: bool) -> ConsultationComment:
    """Publish a comment or keep it off the public page."""
    comment = ConsultationComment.objects.select_for_update().select_related(
        "consultation").get(pk=comment.pk)
    if not policies.can_manage_consultation(acting_user, comment.consultation):
        raise NotAllowed(_("只能审核本单位意见征集的意见。"))
    if comment.status != CommentStatus.PENDING:
        raise TransitionRefused(_("这条意见已审核过。"))
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    audit.record(action=actions.COMMENT_MODERATE, actor=acting_user, obj=comment,
                 organisation=comment.consultation.organisation_id,
                 details={"consultation": comment.consultation_id, "status": comment.status})
    return comment


@transaction.atomic
def publish_adoption(*, consultation: Consultation, acting_user: Any, text: str) -> Consultation:
    """Publish what was adopted and why not, once the consultation has closed."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not policies.can_manage_consultation(acting_user, consultation):
        raise NotAllowed(_("只能管理本单位的意见征集。"))
    if consultation.state() != "closed":
        raise TransitionRefused(_("征集结束后才能公布采纳情况。"))
    if not text.strip():
        raise ValidationError({"adoption": _("请填写采纳情况。")})
    consultation.adoption = text.strip()
    consultation.adoption_published_at = timezone.now()
    consultation.save(update_fields=["adoption", "adoption_published_at"])
    audit.record(action=actions.ADOPTION_PUBLISH, actor=acting_user, obj=consultation,
                 organisation=consultation.organisation_id,
                 details={"due": consultation.adoption_due.isoformat()
                          if consultation.adoption_due else None,
                          "late": consultation.adoption_late})
    return consultation


def public_consultations(site: Any) -> QuerySet[Consultation]:
    """A site's consultations that have opened (upcoming ones are not shown)."""
    return Consultation.objects.filter(site=site, opens_on__lte=timezone.localdate())


def adoption_outstanding(*, today: dt.date) -> list[Consultation]:
    """Closed consultations whose 采纳情况 is not published yet and is tracked."""
    return list(Consultation.objects.filter(closes_on__lt=today, adoption_published_at=None,
                                            adoption_due__isnull=False)
                .select_related("organisation", "site"))
