"""The four reading aids of the toolbar (特大字体, 高对比度, 语音阅读, 简约界面) in headless
Chromium: reached and switched by keyboard, remembered from page to page, axe-clean on every
page type, and 语音阅读 through the browser's own speech API only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from govsites import testing as builders
from govsites.publishing.liveserver import chromium_driver, live_app
from govsites.publishing.pagetypes import sample_pages
from govsites.publishing.screenshots import set_mode
from govsites.publishing.services import rebuild_sites
from govsites.publishing.tests.test_accessibility import build_every_page_type, require_browser
from govsites.testing.tools import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AIDS = {"特大字体": "large-text", "高对比度": "contrast", "语音阅读": "speech", "简约界面": "simple"}

# Records what the page asks the browser to say instead of saying it.
RECORD_SPEECH = """
window.__spoken = [];
const synth = window.speechSynthesis;
if (synth) {
  synth.speak = u => window.__spoken.push([u.text, u.lang]);
  synth.cancel = () => window.__spoken.push(['<cancel>', '']);
}
"""
NO_SPEECH = """
delete Window.prototype.speechSynthesis; delete window.speechSynthesis;
delete window.SpeechSynthesisUtterance;
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
"""


@pytest.fixture
def aid_site(cluster: Any, static_first: Any, tmp_path: Any) -> Any:
    require_browser()
    article = builders.make_article(cluster["news"], title="示例市召开老年人服务工作会议",
                                    body="<p>会议要求做好适老化服务。</p>")
    rebuild_sites(acting_user=None)
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        yield driver, f"http://{address}", article


def path_of(page: Any) -> str:
    return str(urlsplit(page.full_url).path)


def aid_button(driver: Any, label: str) -> Any:
    return driver.find_element(By.CSS_SELECTOR, f'.reading-aids button[data-aid="{AIDS[label]}"]')


def html_classes(driver: Any) -> set[str]:
    return set(driver.execute_script("return [...document.documentElement.classList]"))


def test_each_aid_is_a_keyboard_reachable_button_and_stays_on_across_pages(aid_site):
    driver, base, article = aid_site
    set_mode(driver, base, "standard")
    driver.get(base + "/")
    before = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    reached = []
    for _ in range(12):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(driver.switch_to.active_element.text)
        if reached[-1] == "特大字体":
            break
    assert reached[-1] == "特大字体", reached
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert "aid-large-text" in html_classes(driver)
    assert aid_button(driver, "特大字体").get_attribute("aria-pressed") == "true"
    larger = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= 1.4 * before
    driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.text == "高对比度"
    driver.switch_to.active_element.send_keys(Keys.SPACE)

    driver.get(base + path_of(article))  # another page: the choice came along
    assert {"aid-large-text", "aid-contrast"} <= html_classes(driver)
    assert aid_button(driver, "高对比度").get_attribute("aria-pressed") == "true"
    assert aid_button(driver, "简约界面").get_attribute("aria-pressed") == "false"
    colours = driver.execute_script(
        "const s = getComputedStyle(document.body), a = getComputedStyle(document.querySelector('main a, .site-nav a'));"
        "return [s.backgroundColor, s.color, a.color];")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(255, 255, 0)"]
    aid_button(driver, "特大字体").click()  # and off again, remembered too
    driver.get(base + "/")
    assert "aid-large-text" not in html_classes(driver) and "aid-contrast" in html_classes(driver)


def test_simple_interface_drops_the_decoration_and_keeps_one_column(aid_site):
    driver, base, _article = aid_site
    set_mode(driver, base, "standard")
    driver.get(base + "/")
    aid_button(driver, "简约界面").click()
    shown = driver.execute_script(
        "return [...document.querySelectorAll('.cluster-nav, .masthead .emblem, .masthead .banner-image')]"
        ".map(e => getComputedStyle(e).display !== 'none')")
    assert not any(shown)
    grid = driver.execute_script(
        "const h = document.querySelector('.home-sections');"
        "return h ? getComputedStyle(h).display : 'block'")
    assert grid == "block"
    assert driver.find_element(By.ID, "main").is_displayed()


def test_speech_reads_the_page_and_then_what_gets_focus_through_the_browsers_own_voice(aid_site):
    driver, base, article = aid_site
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SPEECH})
    driver.get(base + path_of(article))
    scripts = driver.execute_script(
        "return [...document.scripts].map(s => s.src).filter(Boolean)")
    assert scripts and all(src.startswith(base + "/") for src in scripts)  # no third party
    aid_button(driver, "语音阅读").click()
    spoken = driver.execute_script("return window.__spoken")
    texts = [text for text, _lang in spoken if text != "<cancel>"]
    assert texts and "示例市召开老年人服务工作会议" in texts[0] and "做好适老化服务" in texts[0]
    assert {lang for text, lang in spoken if text != "<cancel>"} == {"zh-CN"}

    driver.get(base + "/")  # 指读 is still on: a focused link is read aloud
    assert "aid-speech" in html_classes(driver)
    driver.execute_script("document.querySelector('.site-nav a').focus()")
    last = driver.execute_script("return window.__spoken.at(-1)[0]")
    assert last == driver.execute_script("return document.querySelector('.site-nav a').innerText")

    aid_button(driver, "语音阅读").click()  # off: speech stops and focus reads nothing
    driver.execute_script("window.__spoken = []; document.querySelector('main a').focus()")
    assert driver.execute_script("return window.__spoken") == []


def test_without_a_speech_api_the_speech_button_is_absent_and_the_other_aids_work(aid_site):
    driver, base, _article = aid_site
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_SPEECH})
    driver.get(base + "/")
    assert not aid_button(driver, "语音阅读").is_displayed()
    assert all(aid_button(driver, label).is_displayed() for label in ("特大字体", "高对比度", "简约界面"))
    aid_button(driver, "简约界面").click()
    assert "aid-simple" in html_classes(driver)
    assert driver.execute_script("return window.__errors") == []


def test_without_javascript_the_aid_buttons_stay_hidden_and_the_care_mode_link_remains(
        cluster, client):
    builders.make_article(cluster["news"], title="无脚本也能阅读")
    html = client.get("/", HTTP_HOST=cluster["portal"].site.hostname).content.decode()
    assert html.count('class="reading-aids" hidden') == 4
    assert "适老化·无障碍模式" in html


def test_every_page_type_passes_axe_with_all_four_aids_on(cluster, static_first, tmp_path):
    require_browser()
    build_every_page_type(cluster)
    samples, missing = sample_pages()
    assert not missing, missing
    failures = []
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        base = f"http://{address}"
        for mode in ("standard", "care"):
            set_mode(driver, base, mode)
            driver.execute_script(
                "localStorage.setItem('govsites.readingAids', JSON.stringify(arguments[0]))",
                list(AIDS.values()))
            for sample in samples:
                driver.get(base + sample.path)
                assert {"aid-large-text", "aid-contrast", "aid-simple"} <= html_classes(driver)
                for violation in run_axe(driver):
                    targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                    failures.append(f"{mode} {sample.name}: {violation['id']} {targets}")
    assert not failures, "\n".join(failures)
