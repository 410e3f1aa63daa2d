"""在线调查: one response per person, closed surveys refuse answers, results after closing, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.interaction import surveys
from govsites.interaction.exceptions import NotAllowed, TransitionRefused
from govsites.interaction.models import Survey, SurveyQuestion, SurveyResponse

from .conftest import make_user

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "localhost"}


@pytest.fixture(autouse=True)
def _empty_rate_window() -> None:
    cache.clear()


def _survey(portal: Any, *, opens: int = -3, closes: int = 3, login: bool = False) -> Survey:
    today = timezone.localdate()
    survey = Survey.objects.create(
        site=portal, organisation=portal.host_organisation, title="市民出行方式调查",
        opens_on=today + dt.timedelta(days=opens), closes_on=today + dt.timedelta(days=closes),
        login_required=login)
    SurveyQuestion.objects.create(survey=survey, sort_order=0, text="您通常怎样上班？",
                                  kind="single", options="公交\n地铁\n自驾")
    SurveyQuestion.objects.create(survey=survey, sort_order=1, text="您希望改进哪些方面？",
                                  kind="multiple", options="班次\n票价\n站点")
    SurveyQuestion.objects.create(survey=survey, sort_order=2, text="其他建议", kind="text",
                                  required=False)
    return survey


def _form(survey: Survey, **extra: Any) -> dict[str, Any]:
    single, multiple, text = survey.questions.all()
    data: dict[str, Any] = {f"q{single.pk}": "1", f"q{multiple.pk}": ["0", "2"],
                            f"q{text.pk}": "多开夜班车，电话13812345678"}
    data.update(extra)
    return data


def test_a_browser_answers_once_and_a_second_answer_is_refused(portal: Any, client: Any) -> None:
    survey = _survey(portal)
    url = f"/interact/surveys/{survey.pk}/"
    assert "您通常怎样上班" in client.get(url, **HOST).content.decode()
    first = client.post(url, _form(survey), **HOST)
    assert first.status_code == 200 and "感谢您参与本次调查" in first.content.decode()
    assert surveys.cookie_name(survey) in first.cookies
    again = client.get(url, **HOST).content.decode()
    assert "您已参与过本次调查" in again and "提交问卷" not in again
    second = client.post(url, _form(survey), **HOST)
    assert second.status_code == 400 and "每人只能提交一次" in second.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    answers = SurveyResponse.objects.get().answers
    assert "13812345678" not in str(answers)


def test_a_tampered_cookie_does_not_count_as_a_response(portal: Any, client: Any) -> None:
    survey = _survey(portal)
    client.cookies[surveys.cookie_name(survey)] = "forged-token"
    page = client.get(f"/interact/surveys/{survey.pk}/", **HOST).content.decode()
    assert "提交问卷" in page


def test_a_logged_in_citizen_answers_once_per_account_even_from_another_browser(
        portal: Any) -> None:
    survey = _survey(portal, login=True)
    user = make_user(portal.host_organisation)
    surveys.submit_response(survey=survey, answers={str(q.pk): "0" for q in survey.questions.all()
                                                    if q.kind == "single"} | {
        str(q.pk): ["1"] for q in survey.questions.all() if q.kind == "multiple"},
        acting_user=user, token="browser-a")
    with pytest.raises(TransitionRefused):
        surveys.submit_response(survey=survey, answers={}, acting_user=user, token="browser-b")
    with pytest.raises(NotAllowed):
        surveys.submit_response(survey=survey, answers={}, acting_user=None, token="browser-c")
    assert SurveyResponse.objects.count() == 1


def test_responses_a_minute_per_client_are_rule_data(portal: Any, client: Any) -> None:
    from govsites.rules.services import set_override

    from .test_enquiry_deadlines import _platform_admin

    set_override(key="interaction.survey.responses_per_minute", value=1, site=None,
                 reason="测试", acting_user=_platform_admin(portal))
    survey = _survey(portal)
    url = f"/interact/surveys/{survey.pk}/"
    assert client.post(url, _form(survey), **HOST).status_code == 200
    other = Client()
    refused = other.post(url, _form(survey), **HOST)
    assert refused.status_code == 429 and SurveyResponse.objects.count() == 1


def test_bad_answers_change_nothing(portal: Any, client: Any) -> None:
    survey = _survey(portal)
    single, multiple, _text = survey.questions.all()
    with pytest.raises(ValidationError) as error:
        surveys.submit_response(survey=survey, token="t1",
                                answers={str(single.pk): ["0", "1"], str(multiple.pk): ["9"]})
    assert set(error.value.message_dict) == {f"q{single.pk}", f"q{multiple.pk}"}
    response = client.post(f"/interact/surveys/{survey.pk}/", {f"q{single.pk}": "0"}, **HOST)
    assert response.status_code == 400 and "这道题必须回答" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert surveys.cookie_name(survey) not in response.cookies


def test_a_closed_or_upcoming_survey_refuses_answers(portal: Any, client: Any) -> None:
    closed = _survey(portal, opens=-10, closes=-1)
    with pytest.raises(TransitionRefused):
        surveys.submit_response(survey=closed, answers={}, token="t")
    response = client.post(f"/interact/surveys/{closed.pk}/", _form(closed), **HOST)
    assert "提交问卷" not in response.content.decode()
    assert not SurveyResponse.objects.exists()
    upcoming = _survey(portal, opens=2, closes=5)
    assert client.get(f"/interact/surveys/{upcoming.pk}/", **HOST).status_code == 404


def test_results_are_hidden_while_open_and_published_with_a_chart_after_closing(
        portal: Any, client: Any) -> None:
    survey = _survey(portal)
    url = f"/interact/surveys/{survey.pk}/"
    client.post(url, _form(survey), **HOST)
    Client().post(url, _form(survey, **{f"q{survey.questions.first().pk}": "2"}), **HOST)
    page = client.get(url, **HOST).content.decode()
    assert "调查结果" not in page and "survey-charts" not in page
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=timezone.localdate() - dt.timedelta(days=10),
        closes_on=timezone.localdate() - dt.timedelta(days=1))
    page = client.get(url, **HOST).content.decode()
    assert "调查结果" in page and "共收到答卷 2 份" in page
    assert "echarts.min.js" in page and 'id="survey-charts"' in page
    assert "<th scope=\"row\">地铁</th><td>1</td><td>50.0%</td>" in page
    assert "多开夜班车" not in page and "文字回答 2 条（不公开）" in page


def test_staff_export_responses_as_csv_and_xlsx_and_others_cannot(portal: Any) -> None:
    from openpyxl import load_workbook

    survey = _survey(portal)
    surveys.submit_response(survey=survey, token="t1", answers={
        str(q.pk): ("1" if q.kind == "single" else ["0", "2"] if q.kind == "multiple"
                    else "=HYPERLINK(\"x\")") for q in survey.questions.all()})
    clerk = make_user(portal.host_organisation, Role.EDITOR)
    staff = testing.login_verified(Client(), clerk)
    raw = staff.get(f"/admin/interaction/surveys/{survey.pk}/export.csv")
    assert raw.status_code == 200 and raw["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows[0][2:] == ["您通常怎样上班？", "您希望改进哪些方面？", "其他建议"]
    assert rows[1][2:] == ["地铁", "班次；站点", "'=HYPERLINK(\"x\")"]
    book = staff.get(f"/admin/interaction/surveys/{survey.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][2:4] == ["地铁", "班次；站点"]
    assert AuditRecord.objects.filter(action="interaction.survey.export").count() == 2
    other = testing.make_organisation("示例市教育局", kind="department",
                                      parent=portal.host_organisation)
    outsider = testing.login_verified(Client(), make_user(other, Role.EDITOR))
    assert outsider.get(f"/admin/interaction/surveys/{survey.pk}/export.csv").status_code == 404
    with pytest.raises(NotAllowed):
        surveys.export_responses(survey=survey, acting_user=make_user(other), fmt="csv")


def test_a_choice_question_needs_two_options(portal: Any) -> None:
    survey = _survey(portal)
    question = SurveyQuestion(survey=survey, text="是否满意", kind="single", options="是")
    with pytest.raises(ValidationError):
        question.full_clean()
