"""The public search page passes axe-core's WCAG 2.1 AA rules in headless Chromium, in the
standard and the 适老化 reading modes: results with facets and paging, a cluster-wide search,
nothing found, a refused parameter, and the 繁体 page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from govsites import testing
from govsites.publishing.liveserver import chromium_driver, chromium_paths, live_app
from govsites.publishing.screenshots import set_mode
from govsites.testing.tools import AXE_PATH, require, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# (what the reader sees, address, a text the page must show so the check is not of an error)
PAGES = [
    ("results with facets", "/search/?q=%E6%94%BF%E5%8A%A1&page_size=5", "共找到"),
    ("second page", "/search/?q=%E6%94%BF%E5%8A%A1&page_size=5&page=2", "共找到"),
    ("cluster-wide, by date", "/search/?q=%E5%B7%A5%E4%BD%9C&site=all&sort=date", "共找到"),
    ("filtered by a facet", "/search/?q=%E6%94%BF%E5%8A%A1&type=articlepage", "共找到"),
    ("nothing found", "/search/?q=%E6%BD%9C%E6%B0%B4%E8%89%87", "共找到 0 条结果"),
    ("refused parameter", "/search/?q=%E6%94%BF%E5%8A%A1&sort=x", "参数 sort"),
    ("empty form", "/search/", "搜索"),
    ("繁体", "/zh-hant/search/?q=%E6%94%BF%E5%8B%99", "共找到"),
]


@pytest.fixture
def browser_search(library: dict[str, Any], news_column: Any, publish: Any, settings: Any,
                   tmp_path: Path) -> Any:
    browser, driver = chromium_paths()
    require(browser is not None and driver is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    require(AXE_PATH.is_file(), "axe-core is not installed (npm ci at the repository root)")
    middleware = list(settings.MIDDLEWARE)  # as `make run` serves: static first, 繁体 twins
    if "govsites.publishing.middleware.StaticFirstMiddleware" not in middleware:
        middleware.insert(1, "govsites.publishing.middleware.StaticFirstMiddleware")
    settings.MIDDLEWARE = middleware

    def more_items() -> None:  # enough results for a second page
        for n in range(8):
            testing.make_article(news_column, title=f"政务服务事项清单第{n + 1}批",
                                 body="<p>本批政务服务事项已向社会公布。</p>")

    publish(more_items)
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as chromium:
        yield chromium, f"http://{address}"


def test_the_search_page_passes_axe_in_both_reading_modes(browser_search: Any) -> None:
    driver, base = browser_search
    failures = []
    for mode in ("standard", "care"):
        set_mode(driver, base, mode)
        for name, path, shown in PAGES:
            driver.get(base + path)
            text = driver.find_element(By.TAG_NAME, "body").text
            assert shown in text or (name == "繁体" and "共找到" in text.replace("條", "条")), \
                f"{mode} {name}: {shown!r} not on the page"
            for violation in run_axe(driver):
                targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                failures.append(f"{mode} {name}: {violation['id']} {violation.get('help')} "
                                f"{targets}")
    assert not failures, "\n".join(failures)


def test_care_mode_enlarges_the_results_and_the_facets(browser_search: Any) -> None:
    driver, base = browser_search

    def sizes() -> list[float]:
        return [float(v) for v in driver.execute_script(
            "return ['main', 'main li', 'main a'].map(s => document.querySelector(s))"
            ".filter(e => e).map(e => parseFloat(getComputedStyle(e).fontSize));")]

    set_mode(driver, base, "standard")
    driver.get(base + PAGES[0][1])
    standard = sizes()
    set_mode(driver, base, "care")
    driver.get(base + PAGES[0][1])
    care = sizes()
    assert len(care) == len(standard) == 3
    assert min(care) >= 18 and all(c > s for c, s in zip(care, standard, strict=True))


def test_the_search_form_and_facets_work_by_keyboard(browser_search: Any) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver, base = browser_search
    set_mode(driver, base, "standard")
    driver.get(base + "/search/")
    box = driver.find_element(By.CSS_SELECTOR, "main input[name=q]")
    label = driver.execute_script(
        "const i = arguments[0]; return (i.labels && i.labels.length ? i.labels[0].textContent"
        " : i.getAttribute('aria-label')) || '';", box)
    assert label.strip(), "the search box has no label"
    box.send_keys("政务", Keys.ENTER)
    # Enter submits the form; the results page loads after send_keys returns (under CI's load
    # the old page was read once, before it).
    WebDriverWait(driver, 15).until(
        lambda d: "共找到" in d.find_element(By.TAG_NAME, "body").text)
    outline = driver.execute_script(
        "const a = document.querySelector('main a'); a.focus(); return getComputedStyle(a).outlineStyle;")
    assert outline != "none"
