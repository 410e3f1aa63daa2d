"""Demo 在线调查 and 在线访谈 of the portal: an open survey and a closed one with results, an
ended interview with its transcript archived and an upcoming one taking questions in advance.

Each is matched by its title, so a second `govsites demo` changes nothing. Responses, questions
and answers go through interaction's services (with `now=` inside the event's dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from govsites.interaction import interviews, surveys
from govsites.interaction.models import Interview, Survey, SurveyQuestion

Say = Callable[[str], None]

OPEN_SURVEY = "示例市城市公园服务满意度调查"
CLOSED_SURVEY = "示例市公共交通出行情况调查"
ENDED_INTERVIEW = "聚焦义务教育招生入学政策"
UPCOMING_INTERVIEW = "优化营商环境 服务企业发展"

CLOSED_ANSWERS = [
    ("公交车", ["公交车", "步行"], "希望增加早高峰班次。"),
    ("公交车", ["公交车"], ""),
    ("私家车", ["私家车", "公交车"], "建议优化学校周边停车。"),
    ("电动自行车", ["步行"], ""),
    ("公交车", ["公交车", "步行"], "公交站台增加遮阳棚。"),
]


def _questions(survey: Survey, rows: list[tuple[str, str, list[str], bool]]) -> None:
    for order, (text, kind, options, required) in enumerate(rows):
        SurveyQuestion.objects.create(survey=survey, sort_order=order, text=text, kind=kind,
                                      options="\n".join(options), required=required)


def _load_surveys(*, portal: Any, office: Any, say: Say) -> None:
    today = timezone.localdate()
    if not Survey.objects.filter(site=portal, title=OPEN_SURVEY).exists():
        survey = Survey.objects.create(
            site=portal, organisation=office, title=OPEN_SURVEY,
            intro="为提升城市公园服务水平，现开展满意度调查，欢迎参与。",
            opens_on=today - dt.timedelta(days=7), closes_on=today + dt.timedelta(days=23))
        _questions(survey, [
            ("您多久去一次城市公园？", "single", ["每天", "每周", "每月", "很少"], True),
            ("您希望公园增加哪些设施？", "multiple",
             ["健身器材", "儿童游乐", "公共卫生间", "休息座椅"], True),
            ("您对公园管理还有什么建议？", "text", [], False)])
        say(f"  在线调查：{OPEN_SURVEY}（调查中）")
    if not Survey.objects.filter(site=portal, title=CLOSED_SURVEY).exists():
        opens = today - dt.timedelta(days=45)
        survey = Survey.objects.create(
            site=portal, organisation=office, title=CLOSED_SURVEY,
            intro="了解市民日常出行方式，为优化公交线路提供参考。",
            opens_on=opens, closes_on=today - dt.timedelta(days=15))
        modes = ["公交车", "私家车", "电动自行车", "步行"]
        _questions(survey, [
            ("您日常出行主要使用哪种交通方式？", "single", modes, True),
            ("您还经常使用哪些方式？", "multiple", modes, False),
            ("您对公共交通有什么建议？", "text", [], False)])
        main, also, text = list(survey.questions.order_by("sort_order"))
        answered_at = timezone.make_aware(dt.datetime.combine(opens, dt.time(10)))
        for n, (mode, others, suggestion) in enumerate(CLOSED_ANSWERS):
            answers: dict[str, Any] = {str(main.pk): modes.index(mode),
                                       str(also.pk): [modes.index(m) for m in others]}
            if suggestion:
                answers[str(text.pk)] = suggestion
            surveys.submit_response(survey=survey, answers=answers, token=f"demo-{n}",
                                    now=answered_at + dt.timedelta(days=n))
        say(f"  在线调查：{CLOSED_SURVEY}（已结束，{len(CLOSED_ANSWERS)} 份答卷，结果公开）")


def _load_interviews(*, portal: Any, office: Any, moderator: Any, archiver: Any,
                     say: Say) -> None:
    now = timezone.now()
    if not Interview.objects.filter(site=portal, title=ENDED_INTERVIEW).exists():
        starts = (now - dt.timedelta(days=10)).replace(hour=1, minute=0, second=0, microsecond=0)
        interview = Interview.objects.create(
            site=portal, organisation=office, title=ENDED_INTERVIEW,
            summary="市教育局负责人解读今年义务教育阶段招生入学政策，回答网民关心的问题。",
            guests="王明，示例市教育局副局长\n李华，示例市教育局基础教育科科长",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1, minutes=30))
        asked = [
            ("今年小学一年级报名需要准备哪些材料？", "王明，示例市教育局副局长",
             "需要户口簿、房产证明或租赁备案证明和儿童预防接种证，具体以招生公告为准。"),
            ("随迁子女入学有哪些条件？", "李华，示例市教育局基础教育科科长",
             "随迁子女凭居住证和父母就业证明，由居住地所在学区统筹安排入学。"),
        ]
        for n, (content, guest, answer) in enumerate(asked):
            question = interviews.submit_question(
                interview=interview, content=content, name=f"网友{n + 1}",
                now=starts - dt.timedelta(days=2))
            interviews.moderate_question(question=question, acting_user=moderator, publish=True)
            interviews.answer_question(question=question, acting_user=moderator, guest=guest,
                                       answer=answer, now=starts + dt.timedelta(minutes=20 * n + 10))
        say(f"  在线访谈：{ENDED_INTERVIEW}（已结束）")
    ended = Interview.objects.get(site=portal, title=ENDED_INTERVIEW)
    if ended.archived_page_id is None:
        interviews.archive_interview(interview=ended, acting_user=archiver)
        say("    文字实录已归档到“在线访谈”栏目")
    if not Interview.objects.filter(site=portal, title=UPCOMING_INTERVIEW).exists():
        starts = (now + dt.timedelta(days=5)).replace(hour=2, minute=0, second=0, microsecond=0)
        interview = Interview.objects.create(
            site=portal, organisation=office, title=UPCOMING_INTERVIEW,
            summary="市发展改革委负责人介绍优化营商环境的新举措，欢迎企业和网民提前提问。",
            guests="张强，示例市发展和改革委员会副主任",
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
        interviews.submit_question(interview=interview, content="小微企业办理开办手续能否全程网办？",
                                   name="企业主")
        say(f"  在线访谈：{UPCOMING_INTERVIEW}（预告，接受提前提问）")


def load_surveys_and_interviews(*, sites: dict[str, Any], orgs: dict[str, Any], moderator: Any,
                                archiver: Any, say: Say) -> None:
    """Create the demo surveys and interviews that do not exist yet.

    `moderator` publishes and answers the questions (the office's editor); `archiver` files
    the transcript (the platform administrator, who may publish in the 在线访谈 column).
    """
    _load_surveys(portal=sites["portal"], office=orgs["office"], say=say)
    _load_interviews(portal=sites["portal"], office=orgs["office"], moderator=moderator,
                     archiver=archiver, say=say)
