"""The public's interaction pages pass axe-core's WCAG 2.1 AA rules in headless Chromium, in the
standard and the 适老化 reading mode, and the mailbox form can be filled and sent by keyboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from govsites.interaction import consultations, interviews
from govsites.interaction.captcha import NUMBERS
from govsites.interaction.models import (
    Consultation,
    Enquiry,
    Interview,
    Survey,
    SurveyQuestion,
)
from govsites.publishing.liveserver import chromium_driver, chromium_paths, live_app
from govsites.publishing.screenshots import set_mode
from govsites.testing.tools import AXE_PATH, require, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _require_browser() -> None:
    browser, driver = chromium_paths()
    require(browser is not None and driver is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    require(AXE_PATH.is_file(), "axe-core is not installed (npm ci at the repository root)")


def _interaction_pages(portal: Any, mailbox: Any, clerk: Any) -> dict[str, str]:
    """One page of each kind the public fills in or reads live, with content on it."""
    today = timezone.localdate()
    consultation = consultations.save_consultation(consultation=Consultation(
        site=portal, organisation=portal.host_organisation, title="关于城市公园管理办法（征求意见稿）",
        draft="第一条 为了加强城市公园管理……", opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5)), acting_user=None)
    survey = Survey.objects.create(site=portal, organisation=portal.host_organisation,
                                   title="市民出行方式调查", opens_on=today - dt.timedelta(days=1),
                                   closes_on=today + dt.timedelta(days=5))
    closed = Survey.objects.create(site=portal, organisation=portal.host_organisation,
                                   title="公园满意度调查", opens_on=today - dt.timedelta(days=9),
                                   closes_on=today - dt.timedelta(days=1))
    for s in (survey, closed):
        SurveyQuestion.objects.create(survey=s, sort_order=0, text="您通常怎样上班？",
                                      kind="single", options="公交\n地铁")
        SurveyQuestion.objects.create(survey=s, sort_order=1, text="您希望改进哪些方面？",
                                      kind="multiple", options="班次\n票价")
        SurveyQuestion.objects.create(survey=s, sort_order=2, text="其他建议", kind="text",
                                      required=False)
    start = timezone.now() - dt.timedelta(minutes=30)
    interview = Interview.objects.create(
        site=portal, organisation=portal.host_organisation, title="聚焦城市公交线网优化",
        guests="李明，交通运输局局长", starts_at=start, ends_at=start + dt.timedelta(hours=2))
    question = interviews.submit_question(interview=interview, content="末班车能否延后？")
    interviews.moderate_question(question=question, acting_user=clerk, publish=True)
    interviews.answer_question(question=question, acting_user=clerk, guest="李明，交通运输局局长",
                               answer="下月起延后半小时。")
    return {"index": "/interact/", "mailbox": f"/interact/mailbox/{mailbox.slug}/",
            "error_report": "/interact/error-report/?url=http://localhost/",
            "consultation": f"/interact/consultations/{consultation.pk}/",
            "survey": f"/interact/surveys/{survey.pk}/",
            "survey_results": f"/interact/surveys/{closed.pk}/",
            "interview": f"/interact/interviews/{interview.pk}/"}


@pytest.fixture
def browser(portal: Any, mailbox: Any, clerk: Any, tmp_path: Any) -> Any:
    _require_browser()
    cache.clear()
    pages = _interaction_pages(portal, mailbox, clerk)
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        yield driver, f"http://{address}", pages


def test_the_interaction_pages_pass_axe_in_both_reading_modes(browser: Any) -> None:
    driver, base, pages = browser
    failures = []
    for mode in ("standard", "care"):
        set_mode(driver, base, mode)
        for name, path in pages.items():
            driver.get(base + path)
            assert driver.find_element(By.TAG_NAME, "h1").text, (mode, name)
            for violation in run_axe(driver):
                targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                failures.append(f"{mode} {name}: {violation['id']} {violation.get('help')} "
                                f"{targets}")
    assert not failures, "\n".join(failures)


def _captcha_answer(label: str) -> str:
    match = re.search(f"([{NUMBERS}])加([{NUMBERS}])", label)
    assert match, label
    return str(NUMBERS.index(match.group(1)) + NUMBERS.index(match.group(2)))


def test_the_mailbox_form_is_filled_and_sent_by_keyboard_alone(browser: Any) -> None:
    driver, base, pages = browser
    set_mode(driver, base, "care")
    driver.get(base + pages["mailbox"])
    captcha_label = driver.find_element(By.CSS_SELECTOR, "label[for=id_captcha]").text
    typed = {"subject": "咨询公交线路", "content": "请问10路公交何时恢复？", "name": "李华",
             "mobile": "13955556666", "captcha": _captcha_answer(captcha_label)}
    def press(*keys: str) -> None:  # to whatever has the focus, as a keyboard does
        ActionChains(driver).send_keys(*keys).perform()

    press(Keys.TAB)
    visited = []
    for _ in range(80):
        active = driver.switch_to.active_element
        name = active.get_attribute("name") or ""
        if active.tag_name == "button" and active.get_attribute("type") == "submit" \
                and active.find_elements(By.XPATH, "ancestor::form[contains(@class,'interaction-form')]"):
            press(Keys.ENTER)
            break
        if name == "kind" and "kind" not in visited:
            press(Keys.SPACE)
        elif name in typed and name not in visited:
            press(typed[name])
        if name:
            visited.append(name)
        press(Keys.TAB)
    else:
        pytest.fail(f"the submit button was never reached by Tab: {visited}")
    assert {"kind", "subject", "content", "name", "mobile", "captcha"} <= set(visited)
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "查询码" in page, page[:500]
    enquiry = Enquiry.objects.get()
    assert enquiry.subject == "咨询公交线路" and enquiry.kind == "consult"
