"""智能问答: the best curated answers for a question, and the log of questions left unanswered.

Questions and entries go through the search app's Chinese analyser (`search.analysis`:
normalisation, 繁→简, jieba segmentation plus bigrams), so 问答 and 站内搜索 read Chinese the same
way. The knowledge base is small (hundreds of entries per site), so entries are scored in
memory: each query token found in an entry counts its inverse document frequency, and an entry
must cover `MIN_COVERAGE` of the question's weight to be offered. A question with no such entry
is logged (masked, counted) for the FAQ editors.

This module is kept apart from `selectors` on purpose: monitoring reads `selectors`, and must
not reach the search app through it (the layers contract).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from govsites.core import audit
from govsites.search import analysis

from . import audit as actions
from . import policies
from .choices import EnquiryStatus
from .exceptions import NotAllowed, TransitionRefused
from .models import Enquiry, FaqEntry, UnansweredQuestion
from .privacy import redact

MIN_COVERAGE = 0.5
MAX_QUESTION = 200


@dataclass(frozen=True)
class Answer:
    entry_id: int
    question: str
    answer: str
    organisation: str
    score: float


def _matches(clause: analysis.Clause, tokens: set[str]) -> bool:
    return any(all(t in tokens for t in alternative) for alternative in clause.alternatives)


def best_answers(site: Any, question: str, *, limit: int = 3) -> list[Answer]:
    """The published entries of a site that best answer a question (possibly none).

    The question is analysed as a search query (`analysis.parse_query`: stop words dropped,
    long words with bigram fall-backs); each clause an entry matches counts its inverse
    document frequency, and the entry's score is the share of the question's weight it covers.
    """
    clauses = analysis.parse_query(question[:MAX_QUESTION]).clauses
    if not clauses:
        return []
    entries = list(FaqEntry.objects.filter(site=site, is_published=True)
                   .select_related("organisation"))
    docs = [(e, set(analysis.index_tokens(e.question + " " + e.answer))) for e in entries]
    n = len(docs)
    weights = [math.log(1 + n / (1 + sum(1 for _e, toks in docs if _matches(c, toks)))) + 0.1
               for c in clauses]
    total = sum(weights)
    scored = []
    for entry, toks in docs:
        score = sum(w for c, w in zip(clauses, weights, strict=True) if _matches(c, toks)) / total
        if score >= MIN_COVERAGE:
            scored.append(Answer(entry.pk, entry.question, entry.answer,
                                 entry.organisation.name if entry.organisation else "",
                                 round(score, 3)))
    scored.sort(key=lambda a: (-a.score, a.entry_id))
    return scored[:limit]


def log_unanswered(site: Any, question: str) -> None:
    """Count a question nobody answered (masked; the same question is counted, not repeated)."""
    text = redact(question.strip())[:MAX_QUESTION]
    if not text:
        return
    now = timezone.now()
    updated = UnansweredQuestion.objects.filter(site=site, question=text).update(
        times=F("times") + 1, last_asked_at=now)
    if not updated:
        try:
            with transaction.atomic():
                UnansweredQuestion.objects.create(site=site, question=text, last_asked_at=now)
        except IntegrityError:  # asked at the same moment by someone else
            UnansweredQuestion.objects.filter(site=site, question=text).update(
                times=F("times") + 1, last_asked_at=now)


def ask(site: Any, question: str, *, limit: int = 3) -> list[Answer]:
    """Answer a question from the knowledge base, logging it when nothing fits."""
    answers = best_answers(site, question, limit=limit)
    if not answers:
        log_unanswered(site, question)
    return answers


@transaction.atomic
def curate_from_enquiry(*, enquiry: Enquiry, acting_user: Any, question: str = "",
                        answer: str = "") -> FaqEntry:
    """Turn an answered, published message into a FAQ entry (its masked text by default)."""
    if not policies.can_handle(acting_user, enquiry):
        raise NotAllowed("只有办理单位的工作人员可以整理这条留言。")
    if not (enquiry.status == EnquiryStatus.REPLIED and enquiry.publish_allowed):
        raise TransitionRefused("只有已答复且同意公开的留言可以整理为常见问题。")
    from .selectors import published_reply

    reply = published_reply(enquiry)
    entry = FaqEntry.objects.create(
        site=enquiry.mailbox.site, question=(question.strip() or enquiry.subject)[:200],
        answer=redact(answer.strip() or (reply.body if reply else "")),
        organisation=reply.organisation if reply else enquiry.handling_organisation,
        source=enquiry, created_by=acting_user)
    audit.record(action=actions.FAQ_CURATE, actor=acting_user, obj=entry,
                 organisation=enquiry.handling_organisation_id,
                 details={"query_code": enquiry.query_code})
    return entry
