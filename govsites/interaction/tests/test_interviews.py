"""在线访谈: questions in advance, moderation, live answers through the JSON feed, the transcript."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core import crypto
from govsites.interaction import interviews
from govsites.interaction.exceptions import NotAllowed, TransitionRefused
from govsites.interaction.models import Interview, InterviewQuestion

from .conftest import make_user
from .test_enquiry_deadlines import _platform_admin
from .test_public_pages import HOST, _answer_captcha

pytestmark = pytest.mark.django_db
GUEST = "李明，示例市交通运输局局长"


@pytest.fixture(autouse=True)
def _empty_rate_window() -> None:
    cache.clear()


def _interview(portal: Any, *, starts: float, hours: float = 2) -> Interview:
    start = timezone.now() + dt.timedelta(hours=starts)
    return Interview.objects.create(
        site=portal, organisation=portal.host_organisation, title="聚焦城市公交线网优化",
        summary="介绍今年公交线网调整。", guests=f"{GUEST}\n王芳，公交集团副总经理",
        starts_at=start, ends_at=start + dt.timedelta(hours=hours))


def test_questions_sent_in_advance_wait_for_moderation_before_they_show(
        portal: Any, client: Any, clerk: Any) -> None:
    interview = _interview(portal, starts=24)
    url = f"/interact/interviews/{interview.pk}/"
    _answer_captcha(client)
    response = client.post(url, {"content": "10路公交能否延长末班时间？手机13812345678",
                                 "name": "张先生", "captcha": "7"}, **HOST)
    assert response.status_code == 200 and "提问已收到" in response.content.decode()
    question = InterviewQuestion.objects.get()
    assert question.in_advance and "13812345678" not in question.content
    assert crypto.open_sealed(question.sealed_name) == "张先生"
    assert "10路公交" not in client.get(url, **HOST).content.decode()
    interviews.moderate_question(question=question, acting_user=clerk, publish=True)
    page = client.get(url, **HOST).content.decode()
    assert "10路公交能否延长末班时间" in page and "（访谈前）" in page and "张先生" not in page
    with pytest.raises(TransitionRefused):
        interviews.moderate_question(question=question, acting_user=clerk, publish=False)


def test_the_live_feed_carries_answers_given_during_the_event(
        portal: Any, client: Any, clerk: Any) -> None:
    interview = _interview(portal, starts=-0.5)
    question = interviews.submit_question(interview=interview, content="公交线网何时调整？")
    assert not question.in_advance
    feed = client.get(f"/interact/interviews/{interview.pk}/live.json", **HOST).json()
    assert feed == {"state": "live", "items": []}
    interviews.moderate_question(question=question, acting_user=clerk, publish=True)
    with pytest.raises(ValidationError):
        interviews.answer_question(question=question, acting_user=clerk, guest="不是嘉宾",
                                   answer="下月。")
    interviews.answer_question(question=question, acting_user=clerk, guest=GUEST,
                               answer="预计下月完成调整。")
    feed = client.get(f"/interact/interviews/{interview.pk}/live.json", **HOST).json()
    assert feed["items"][0]["answer"] == "预计下月完成调整。"
    assert feed["items"][0]["guest"] == GUEST
    page = client.get(f"/interact/interviews/{interview.pk}/", **HOST).content.decode()
    assert "interview_live.js" in page and 'data-poll="/interact/interviews/' in page


def test_only_published_questions_are_answered_and_only_while_live(
        portal: Any, clerk: Any) -> None:
    upcoming = _interview(portal, starts=5)
    question = interviews.submit_question(interview=upcoming, content="问题一")
    interviews.moderate_question(question=question, acting_user=clerk, publish=True)
    with pytest.raises(TransitionRefused):
        interviews.answer_question(question=question, acting_user=clerk, guest=GUEST, answer="x")
    live = _interview(portal, starts=-1)
    pending = interviews.submit_question(interview=live, content="问题二")
    with pytest.raises(TransitionRefused):
        interviews.answer_question(question=pending, acting_user=clerk, guest=GUEST, answer="x")
    ended = _interview(portal, starts=-5)
    with pytest.raises(TransitionRefused):
        interviews.submit_question(interview=ended, content="晚了")


def test_another_organisation_cannot_moderate(portal: Any) -> None:
    interview = _interview(portal, starts=1)
    question = interviews.submit_question(interview=interview, content="问题")
    other = testing.make_organisation("示例市教育局", kind="department",
                                      parent=portal.host_organisation)
    with pytest.raises(NotAllowed):
        interviews.moderate_question(question=question, acting_user=make_user(other, Role.EDITOR),
                                     publish=True)
    question.refresh_from_db()
    assert question.status == "pending"


def test_the_transcript_is_archived_once_as_an_article_of_the_interview_column(
        portal: Any, clerk: Any) -> None:
    from govsites.content.models import ArticlePage, ColumnPage

    interview = _interview(portal, starts=-1, hours=3)
    home = portal.site.root_page.specific
    testing.make_column(home, title="政务访谈", column_type="在线访谈")
    answered = interviews.submit_question(interview=interview, content="票价会上涨吗？")
    unanswered = interviews.submit_question(interview=interview, content="没有回答的问题")
    rejected = interviews.submit_question(interview=interview, content="不予公开的问题")
    for q in (answered, unanswered):
        interviews.moderate_question(question=q, acting_user=clerk, publish=True)
    interviews.moderate_question(question=rejected, acting_user=clerk, publish=False)
    interviews.answer_question(question=answered, acting_user=clerk, guest=GUEST,
                               answer="今年票价不调整。")
    with pytest.raises(TransitionRefused):
        interviews.archive_interview(interview=interview, acting_user=clerk)
    Interview.objects.filter(pk=interview.pk).update(ends_at=timezone.now() - dt.timedelta(minutes=1))
    interview.refresh_from_db()
    item = interviews.archive_interview(interview=interview, acting_user=_platform_admin(portal))
    article = ArticlePage.objects.get(pk=item.pk)
    assert article.live and article.title == "聚焦城市公交线网优化（文字实录）"
    body = str(article.body)
    assert "票价会上涨吗" in body and "今年票价不调整" in body and GUEST in body
    assert "没有回答的问题" not in body and "不予公开的问题" not in body
    column = article.get_parent().specific
    assert isinstance(column, ColumnPage) and column.column_type == "在线访谈"
    interview.refresh_from_db()
    assert interview.archived_page_id == article.pk
    with pytest.raises(TransitionRefused):
        interviews.archive_interview(interview=interview, acting_user=clerk)


def test_an_editor_who_may_not_publish_archives_the_transcript_as_a_draft_for_review(
        portal: Any, clerk: Any) -> None:
    from govsites.content.models import ArticlePage

    interview = _interview(portal, starts=-3, hours=1)
    with pytest.raises(TransitionRefused, match="在线访谈"):
        interviews.archive_interview(interview=interview, acting_user=clerk)
    testing.make_column(portal.site.root_page.specific, title="在线访谈", column_type="在线访谈")
    item = interviews.archive_interview(interview=interview, acting_user=clerk)
    article = ArticlePage.objects.get(pk=item.pk)
    assert not article.live and article.get_latest_revision() is not None
    assert "本次访谈没有已回答的网民提问" in str(article.get_latest_revision_as_object().body)


def test_moderation_and_answers_through_the_admin(portal: Any, clerk: Any) -> None:
    interview = _interview(portal, starts=-1)
    question = interviews.submit_question(interview=interview, content="地铁规划进展如何？")
    admin = testing.login_verified(Client(), clerk)
    queue = admin.get(f"/admin/interaction/interviews/{interview.pk}/").content.decode()
    assert "地铁规划进展如何" in queue and "待审核提问（1）" in queue
    admin.post(f"/admin/interaction/interviews/{interview.pk}/publish/", {"question": question.pk})
    admin.post(f"/admin/interaction/interviews/{interview.pk}/answer/",
               {"question": question.pk, "guest": GUEST, "answer": "正在推进。"})
    question.refresh_from_db()
    assert question.status == "published" and question.answer == "正在推进。"
    assert "聚焦城市公交线网优化" in admin.get("/admin/interaction/interviews/").content.decode()
