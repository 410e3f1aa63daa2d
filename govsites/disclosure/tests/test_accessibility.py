"""The public disclosure pages pass axe-core's WCAG 2.1 AA rules in headless Chromium, in the
standard and the 适老化 reading modes (条例第43条: applicants with reading difficulties), and
the application form can be filled in and sent by keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from govsites import testing
from govsites.publishing.liveserver import chromium_driver, chromium_paths, live_app
from govsites.publishing.screenshots import set_mode
from govsites.testing.tools import AXE_PATH, require, run_axe

from .. import services
from .factories import make_body, make_staff, registered

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def browser_disclosure(portal: Any, policy_column: Any, settings: Any, tmp_path: Path) -> Any:
    browser, driver = chromium_paths()
    require(browser is not None and driver is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    require(AXE_PATH.is_file(), "axe-core is not installed (npm ci at the repository root)")
    cache.clear()
    middleware = list(settings.MIDDLEWARE)  # as `make run` serves: static first, 繁体 twins
    if "govsites.publishing.middleware.StaticFirstMiddleware" not in middleware:
        middleware.insert(1, "govsites.publishing.middleware.StaticFirstMiddleware")
    settings.MIDDLEWARE = middleware
    settings.DATA_DIR = tmp_path
    settings.GOVSITES_PUBLISH_ROOT = str(tmp_path / "published")
    body = make_body(portal.host_organisation, office_name="示例市人民政府办公室")
    testing.make_policy(policy_column, title="关于规范校外培训的通知")
    clerk = make_staff(body, "clerk")
    case = registered(body, clerk, dt.date(2026, 9, 29))
    case = services.reply(request=case, acting_user=clerk, result="disclosed",
                          reply_text="予以公开。", on=dt.date(2026, 10, 9))
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as chromium:
        yield chromium, f"http://{address}", body, case


def test_the_disclosure_pages_pass_axe_in_both_reading_modes(browser_disclosure: Any) -> None:
    driver, base, body, case = browser_disclosure
    pages = [
        ("index", "/disclosure/", "政府信息公开"),
        ("guide", f"/disclosure/{body.pk}/", "政府信息公开指南"),
        ("catalogue", f"/disclosure/{body.pk}/catalogue/", "关于规范校外培训的通知"),
        ("form", f"/disclosure/{body.pk}/apply/", "申请人信息"),
        ("status", f"/disclosure/status/?reference={case.reference}&query_code={case.query_code}",
         "已答复"),
        ("繁体 guide", f"/zh-hant/disclosure/{body.pk}/", "指南"),
    ]
    failures = []
    for mode in ("standard", "care"):
        set_mode(driver, base, mode)
        for name, path, shown in pages:
            driver.get(base + path)
            text = driver.find_element(By.TAG_NAME, "body").text
            assert shown in text, f"{mode} {name}: {shown!r} not on the page"
            for violation in run_axe(driver):
                targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                failures.append(f"{mode} {name}: {violation['id']} {violation.get('help')} "
                                f"{targets}")
    assert not failures, "\n".join(failures)


def test_a_refused_application_shows_its_errors_accessibly(browser_disclosure: Any) -> None:
    driver, base, body, _case = browser_disclosure
    set_mode(driver, base, "standard")
    driver.get(base + f"/disclosure/{body.pk}/apply/")
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # the answer is a new page: wait for it (the old body goes stale while it loads)
    WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "请填写所需政府信息的名称或描述" in d.find_element(By.TAG_NAME, "body").text)
    violations = [v["id"] for v in run_axe(driver)]
    assert not violations, violations
