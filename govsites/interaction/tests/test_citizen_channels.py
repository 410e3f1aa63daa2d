"""PA-15: the public channels use the citizen account: forms come prefilled for a logged-in
citizen (still editable), and a survey counts one response per account on any browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from govsites.accounts import citizens
from govsites.interaction.models import SurveyResponse

from .test_surveys import _form, _survey

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "localhost"}


@pytest.fixture(autouse=True)
def _empty_rate_window() -> None:
    cache.clear()


def _logged_in(account: Any) -> Client:
    client = Client()
    session = client.session
    session[citizens.SESSION_KEY] = account.pk
    session[citizens.GENERATION_KEY] = account.session_generation
    session.save()
    return client


@pytest.fixture
def citizen(portal: Any) -> Any:
    return citizens.register_citizen(login="13911112222", password="Hq8#river-Mo",
                                     display_name="王五")


def test_a_logged_in_citizen_finds_the_mailbox_and_error_forms_prefilled(
        mailbox: Any, citizen: Any) -> None:
    client = _logged_in(citizen)
    page = client.get("/interact/mailbox/mayor/", **HOST).content.decode()
    assert 'value="王五"' in page and 'value="13911112222"' in page
    report = client.get("/interact/error-report/", **HOST).content.decode()
    assert 'value="13911112222"' in report
    anonymous = Client().get("/interact/mailbox/mayor/", **HOST).content.decode()
    assert "王五" not in anonymous and "13911112222" not in anonymous


def test_a_citizen_answers_a_survey_once_per_account_from_any_browser(
        portal: Any, citizen: Any) -> None:
    survey = _survey(portal, login=True)
    url = f"/interact/surveys/{survey.pk}/"
    first = _logged_in(citizen).post(url, _form(survey), **HOST)
    assert first.status_code == 200 and SurveyResponse.objects.count() == 1
    second = _logged_in(citizen).post(url, _form(survey), **HOST)  # another browser, no cookie
    assert second.status_code == 400 and "只能提交一次" in second.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_citizens_messages_and_reports_are_listed_on_their_page_without_a_query_code(
        mailbox: Any, citizen: Any) -> None:
    from govsites.interaction import error_reports, services
    from govsites.interaction.models import Enquiry

    from .conftest import write

    mine = services.submit_enquiry(
        mailbox=mailbox, kind="consult", subject="咨询公交线路", content="请问10路公交何时恢复？",
        name="王五", mobile="13911112222", citizen=citizen)
    write(mailbox)  # someone else's message
    error_reports.submit_error_report(site=mailbox.site, page_url="http://localhost/x/",
                                      error_type="broken_link", description="链接打不开",
                                      citizen=citizen)
    client = _logged_in(citizen)
    page = client.get("/interact/mine/", **HOST)
    html = page.content.decode()
    assert page.status_code == 200 and "咨询公交线路" in html
    assert html.count("查看办理情况") == 1 and "链接无法打开" in html
    assert "13911112222" not in html and mine.query_code not in html
    follow = client.post(f"/interact/mine/{mine.enquiry.pk}/follow/", **HOST)
    assert follow.status_code == 302
    assert "咨询公交线路" in client.get("/interact/follow/", **HOST).content.decode()
    other = Enquiry.objects.exclude(pk=mine.enquiry.pk).get()
    assert client.post(f"/interact/mine/{other.pk}/follow/", **HOST).status_code == 404
    anonymous = Client().get("/interact/mine/", **HOST)
    assert anonymous.status_code == 302 and "/_govsites/account/login/" in anonymous["Location"]


def test_a_message_written_while_logged_in_is_linked_to_the_account(
        mailbox: Any, citizen: Any) -> None:
    from govsites.interaction.captcha import SESSION_KEY, _digest
    from govsites.interaction.models import Enquiry

    from .test_public_pages import FORM

    client = _logged_in(citizen)
    session = client.session
    session[SESSION_KEY] = {"digest": _digest("7"), "expires": 4102444800}
    session.save()
    assert client.post("/interact/mailbox/mayor/", FORM, **HOST).status_code == 200
    assert Enquiry.objects.get().citizen_id == citizen.pk
