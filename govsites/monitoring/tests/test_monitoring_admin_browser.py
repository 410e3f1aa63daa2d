"""站点监测 in a real browser as the demo 监管员 works it (issue 10 #1–#3).

立即检查 → the progress page → the report opens by itself when the task is done → a finding
becomes a 整改单 in one click. Needs Chromium and chromedriver (skipped without them, required
under CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from govsites import testing
from govsites.accounts.roles import Role
from govsites.monitoring import tasks
from govsites.monitoring.choices import InspectionStatus
from govsites.monitoring.models import Inspection, Ticket
from govsites.publishing.testing import (
    AXE_PATH,
    chromium_driver,
    chromium_paths,
    live_app,
    require,
)

from .admin_helpers import make_user, serve_site_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def supervisor_browser(portal: Any, fixture_site: dict[str, Any],
                       tmp_path: Path) -> Iterator[tuple[Any, str]]:
    browser, driver_path = chromium_paths()
    require(browser is not None and driver_path is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    serve_site_at(portal, fixture_site["port"])
    bureau = testing.make_organisation("示例市政务服务数据管理局", kind="department",
                                       parent=portal.host_organisation)
    supervisor = make_user(bureau, Role.SUPERVISOR, username="inspector")
    client = Client()
    client.force_login(supervisor)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        base = f"http://{address}"
        driver.get(base + "/admin/login/")
        driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session, "path": "/"})
        yield driver, base


def _axe_violations(driver: Any, selector: str) -> list[str]:
    driver.execute_script(AXE_PATH.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document.querySelector(arguments[0]), {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa']}}).then(r => done(r.violations.map(v => v.id + ': ' + v.help)))"
        ".catch(e => done(['axe-error: ' + e]));", selector)
    return list(found)


@override_settings(GOVSITES_INSPECT_DELAY_SECONDS=0.0,
                   GOVSITES_OUTBOUND_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_the_supervisor_starts_an_inspection_watches_it_and_tickets_a_finding(
        supervisor_browser: tuple[Any, str], portal: Any) -> None:
    driver, base = supervisor_browser
    wait = WebDriverWait(driver, 30)
    driver.get(base + "/admin/monitoring_inspections/")
    driver.find_element(By.LINK_TEXT, "立即检查").click()
    Select(driver.find_element(By.NAME, "site")).select_by_value(str(portal.pk))
    budget = driver.find_element(By.NAME, "max_pages")
    budget.clear()
    budget.send_keys("30")
    driver.find_element(By.CSS_SELECTOR, "form.inspection-start button[type=submit]").click()

    panel = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, "[data-inspection-progress]")))
    assert "排队中" in panel.text and "/ 30 页" in panel.text
    inspection = Inspection.objects.get()
    # The worker's part: the page polls its progress and opens the report once it is done.
    tasks.run_inspection.call(inspection_id=inspection.pk)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DONE, inspection.error
    verdict = wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".inspection-report .verdict")))
    assert verdict.text.startswith(inspection.verdict)
    report = driver.find_element(By.CSS_SELECTOR, ".inspection-report").text
    assert "问题明细" in report and "检查时间（北京时间）" in report
    assert "warning" not in report and "link.broken" not in report
    assert _axe_violations(driver, ".inspection-report") == []

    before = Ticket.objects.count()
    button = driver.find_element(By.XPATH, "//button[@name='finding' and text()='开具整改单']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)
    button.click()
    message = wait.until(ec.presence_of_element_located(
        (By.XPATH, "//li[contains(., '已开具整改单')]")))
    assert "整改期限" in message.get_attribute("textContent")
    assert Ticket.objects.count() == before + 1
    ticket = Ticket.objects.order_by("-pk").first()
    link = driver.find_element(By.LINK_TEXT, f"整改单 #{ticket.pk}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", link)
    link.click()
    assert "整改记录" in wait.until(ec.presence_of_element_located((By.TAG_NAME, "main"))).text
