"""The admin's survey builder and interview forms: what a valid form creates, and bad input
refused with Chinese errors and nothing saved."""

from __future__ import annotations

import re
from typing import Any

import pytest

from govsites.interaction.models import Interview, Survey, SurveyQuestion

pytestmark = pytest.mark.django_db
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chief(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(
        "chief", password="Chief@2026x", real_name="总编", mobile="13900000000")


def _form(model: Any, data: dict[str, Any], user: Any) -> Any:
    form_class = model.snippet_viewset.get_edit_handler().get_form_class()
    return form_class(data, instance=model(), for_user=user)


def _questions(*rows: tuple[str, str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"questions-TOTAL_FORMS": str(len(rows)),
                            "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "1",
                            "questions-MAX_NUM_FORMS": "1000"}
    for n, (text, kind, options) in enumerate(rows):
        data |= {f"questions-{n}-text": text, f"questions-{n}-kind": kind,
                 f"questions-{n}-options": options, f"questions-{n}-required": "on",
                 f"questions-{n}-ORDER": str(n + 1), f"questions-{n}-id": ""}
    return data


def _survey(portal: Any, **overrides: Any) -> dict[str, Any]:
    data = {"site": str(portal.pk), "organisation": str(portal.host_organisation_id),
            "title": "城市公园满意度调查", "intro": "欢迎参与。", "opens_on": "2026-11-01",
            "closes_on": "2026-11-30"}
    data.update(overrides)
    return data


def _errors(form: Any) -> list[str]:
    messages = [m for field in form.errors.values() for m in field]
    for formset in getattr(form, "formsets", {}).values():
        messages += [m for errors in formset.errors for field in errors.values() for m in field]
        messages += list(formset.non_form_errors())
    return messages


def test_a_valid_questionnaire_creates_the_survey_and_its_questions_in_order(
        portal: Any, chief: Any) -> None:
    form = _form(Survey, _survey(portal) | _questions(
        ("您多久去一次公园？", "single", "每天\n每周\n很少"),
        ("希望增加哪些设施？", "multiple", "座椅\n卫生间"),
        ("其他建议", "text", "")), chief)
    assert form.is_valid(), _errors(form)
    survey = form.save()
    questions = list(survey.questions.order_by("sort_order"))
    assert [q.kind for q in questions] == ["single", "multiple", "text"]
    assert questions[0].option_list == ["每天", "每周", "很少"]


@pytest.mark.parametrize(("overrides", "rows"), [
    ({"closes_on": "2026-10-01"}, [("您多久去一次公园？", "single", "每天\n很少")]),
    ({}, [("您多久去一次公园？", "single", "每天")]),
    ({}, []),
    ({"title": ""}, [("您多久去一次公园？", "single", "每天\n很少")]),
], ids=["closes-before-it-opens", "choice-with-one-option", "no-question", "no-title"])
def test_a_bad_questionnaire_is_refused_in_chinese_and_saves_nothing(
        portal: Any, chief: Any, overrides: dict[str, Any],
        rows: list[tuple[str, str, str]]) -> None:
    form = _form(Survey, _survey(portal, **overrides) | _questions(*rows), chief)
    assert not form.is_valid()
    errors = _errors(form)
    assert errors and all(_CHINESE.search(str(m)) for m in errors), errors
    assert not Survey.objects.exists() and not SurveyQuestion.objects.exists()


def _interview(portal: Any, **overrides: Any) -> dict[str, Any]:
    data = {"site": str(portal.pk), "organisation": str(portal.host_organisation_id),
            "title": "聚焦义务教育招生入学政策", "summary": "解读招生政策。",
            "guests": "王明，市教育局副局长\n李华，基础教育科科长",
            "starts_at": "2026-12-10 10:00", "ends_at": "2026-12-10 11:30"}
    data.update(overrides)
    return data


def test_a_valid_interview_form_creates_the_interview_with_its_guests(
        portal: Any, chief: Any) -> None:
    form = _form(Interview, _interview(portal), chief)
    assert form.is_valid(), _errors(form)
    interview = form.save()
    assert interview.guest_list == ["王明，市教育局副局长", "李华，基础教育科科长"]
    assert interview.state() in {"upcoming", "live", "ended"}


@pytest.mark.parametrize("overrides", [
    {"ends_at": "2026-12-10 09:00"},
    {"guests": "  \n "},
    {"starts_at": "明天上午"},
], ids=["ends-before-it-starts", "no-guest", "unreadable-time"])
def test_a_bad_interview_form_is_refused_in_chinese_and_saves_nothing(
        portal: Any, chief: Any, overrides: dict[str, Any]) -> None:
    form = _form(Interview, _interview(portal, **overrides), chief)
    assert not form.is_valid()
    errors = _errors(form)
    assert errors and all(_CHINESE.search(str(m)) for m in errors), errors
    assert not Interview.objects.exists()
