"""Admin: 在线访谈 (the list; one interview's moderation queue, live answers, archiving).

The interview itself (title, guests, times) is edited in the snippet editor
(wagtail_hooks.InterviewViewSet).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import interviews, policies
from .choices import CommentStatus
from .models import Interview, InterviewQuestion


def _interview(request: HttpRequest, interview_id: int) -> Interview:
    if not request.user.is_authenticated:
        raise Http404
    interview = Interview.objects.select_related("site", "organisation").filter(
        pk=interview_id).first()
    if interview is None or not policies.can_manage_interview(request.user, interview):
        raise Http404("没有这次访谈")
    return interview


def interview_list(request: HttpRequest) -> HttpResponse:
    """Interviews of the user's organisation, with questions waiting for moderation."""
    from django.db.models import Count, Q

    if not request.user.is_authenticated:
        raise Http404
    scope = policies.read_scope(request.user)
    queryset = Interview.objects.select_related("site", "organisation").annotate(
        pending=Count("questions", filter=Q(questions__status=CommentStatus.PENDING)))
    if not scope.everywhere:
        queryset = queryset.filter(organisation_id__in=scope.organisation_ids)
    return render(request, "interaction/admin/interview_list.html", {"items": list(queryset)})


def interview_detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The moderation queue, the published questions with their answer forms, archiving."""
    interview = _interview(request, interview_id)
    questions = interview.questions.all()
    return render(request, "interaction/admin/interview_detail.html", {
        "interview": interview, "state": interview.state(),
        "pending": [q for q in questions if q.status == CommentStatus.PENDING],
        "published": [q for q in questions if q.status == CommentStatus.PUBLISHED]})


@require_POST
def interview_action(request: HttpRequest, interview_id: int, action: str) -> HttpResponse:
    """Publish or reject a question, answer one for a guest, or archive the transcript."""
    interview = _interview(request, interview_id)
    done = {"publish": "提问已公开", "reject": "提问不予公开", "answer": "回答已发布",
            "archive": "文字实录已归档到在线访谈栏目"}
    if action not in done:
        raise Http404
    try:
        if action == "archive":
            interviews.archive_interview(interview=interview, acting_user=request.user)
        else:
            raw = request.POST.get("question", "")
            question = InterviewQuestion.objects.filter(
                pk=int(raw) if raw.isdigit() else 0, interview=interview).first()
            if question is None:
                raise ValidationError("没有这条提问。")
            if action == "answer":
                interviews.answer_question(question=question, acting_user=request.user,
                                           guest=request.POST.get("guest", ""),
                                           answer=request.POST.get("answer", ""))
            else:
                interviews.moderate_question(question=question, acting_user=request.user,
                                             publish=action == "publish")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done[action])
    return HttpResponseRedirect(reverse("interaction_interview", args=[interview.pk]))
