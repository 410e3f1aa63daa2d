"""Every public page type passes axe-core's WCAG 2.1 AA rules in headless Chromium, in both
reading modes, and the pages work by keyboard alone."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from govsites import testing as builders
from govsites.content import services as content
from govsites.content.models import InterpretationPage, ServiceGuidePage
from govsites.publishing.liveserver import chromium_driver, chromium_paths, live_app
from govsites.publishing.pagetypes import PAGE_TYPES, sample_pages
from govsites.publishing.screenshots import set_mode, take
from govsites.publishing.services import rebuild_sites
from govsites.testing.tools import AXE_PATH, require, run_axe

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db]


def require_browser():
    browser, driver = chromium_paths()
    require(browser is not None and driver is not None,
            "chromium and chromium-driver are not installed (apt-get install chromium "
            "chromium-driver fonts-noto-cjk)")
    require(AXE_PATH.is_file(), "axe-core is not installed (npm ci at the repository root)")


def build_every_page_type(cluster):
    news, policies = cluster["news"], cluster["policies"]
    for n in range(41):  # an older listing page needs two full groups
        builders.make_article(news, title=f"工作动态第{n}条", summary="摘要")
    withdrawn = builders.make_article(news, title="已撤稿的通知")
    content.withdraw_item(item=withdrawn, reason="内容有误，已更正后重新发布", acting_user=None)
    policy = builders.make_policy(policies, title="示例市政务公开工作实施办法")
    interp = InterpretationPage(title="《示例市政务公开工作实施办法》解读", slug="jiedu",
                                policy=policy, body="<p>一、制定背景……</p>")
    policies.add_child(instance=interp)
    content.publish_item(item=interp, acting_user=None)
    services = builders.make_column(cluster["portal"].site.root_page, title="办事服务",
                                    column_type="办事服务")
    guide = ServiceGuidePage(
        title="婚姻登记办事指南", slug="hunyin", item_name="婚姻登记", legal_basis="《婚姻登记条例》",
        conditions="双方自愿", materials="身份证、户口簿", location="市民政局婚姻登记处",
        handling_body="市民政局", fees="不收费", hours="工作日 9:00-17:00",
        phone="0753-1234567", procedure="申请、审查、登记")
    services.add_child(instance=guide)
    content.publish_item(item=guide, acting_user=None)
    about = builders.make_column(cluster["portal"].site.root_page, title="机构概况",
                                 column_type="机构职能")
    builders.make_organisation_functions(about, organisation=cluster["portal"].host_organisation)
    leaders = builders.make_column(cluster["portal"].site.root_page, title="领导信息",
                                   column_type="负责人信息")
    builders.make_leader(leaders)
    original = builders.make_article(cluster["dept_news"], title="部门动态一则（转载到门户）")
    content.reprint_item(item=original, column=news, acting_user=None)
    gone = builders.make_article(news, title="将要下线")
    rebuild_sites(acting_user=None)
    gone.unpublish()
    from govsites.publishing.tasks import publish_changes

    publish_changes.call(page_ids=[gone.pk])


@pytest.fixture
def browser_site(cluster, static_first, tmp_path):
    require_browser()
    build_every_page_type(cluster)
    samples, missing = sample_pages()
    assert not missing, missing
    with live_app(share_connections=True) as address, chromium_driver(tmp_path / "chromium") as driver:
        yield driver, f"http://{address}", samples


def test_every_page_type_passes_axe_in_both_modes(browser_site):
    driver, base, samples = browser_site
    assert {s.name for s in samples} == {name for name, _label in PAGE_TYPES}
    failures = []
    for mode in ("standard", "care"):
        set_mode(driver, base, mode)
        for sample in samples:
            driver.get(base + sample.path)
            for violation in run_axe(driver):
                targets = [n.get("target") for n in violation.get("nodes", [])][:3]
                failures.append(f"{mode} {sample.name}: {violation['id']} "
                                f"{violation.get('help')} {targets}")
    assert not failures, "\n".join(failures)


def test_care_mode_enlarges_type_and_line_spacing_and_is_remembered(browser_site):
    driver, base, samples = browser_site
    article = next(s for s in samples if s.name == "article")

    def metrics():
        return driver.execute_script(
            "const s = getComputedStyle(document.querySelector('.item-body p') || document.body);"
            "return [parseFloat(s.fontSize), parseFloat(s.lineHeight)];")

    set_mode(driver, base, "standard")
    driver.get(base + article.path)
    standard_size, _ = metrics()
    set_mode(driver, base, "care")
    driver.get(base + article.path)
    size, line = metrics()
    assert size >= 18 and size > standard_size
    assert line / size >= 1.3
    driver.get(base + "/")  # remembered on another page, with no script on the page
    assert driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    assert driver.find_element(By.CSS_SELECTOR, ".mode-off a").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, ".mode-on a").is_displayed()


def test_pages_are_usable_by_keyboard_alone(browser_site):
    driver, base, _samples = browser_site
    set_mode(driver, base, "standard")
    driver.get(base + "/")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip-link" and active.is_displayed()
    active.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
    # Tab from the top reaches the 繁体 switch and the mode switch; Enter follows them.
    driver.get(base + "/")
    reached = []
    for _ in range(8):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(driver.switch_to.active_element.text)
        if reached[-1] == "适老化·无障碍模式":
            break
    assert "繁體" in reached and reached[-1] == "适老化·无障碍模式"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    outline = driver.execute_script(
        "const a = document.querySelector('.site-nav a, main a'); a.focus();"
        "return getComputedStyle(a).outlineStyle;")
    assert outline != "none"


def test_screenshots_are_written_for_every_page_type_in_both_modes(browser_site, tmp_path):
    driver, base, samples = browser_site
    written = take(driver, base, samples, tmp_path / "shots")
    assert len(written) == 2 * len(samples)
    assert all(p.stat().st_size > 5000 and p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
               for p in written)


def test_on_a_390px_phone_the_index_table_stacks_and_nothing_scrolls_sideways(browser_site):
    driver, base, samples = browser_site
    by_name = {s.name: s for s in samples}
    set_mode(driver, base, "standard")
    driver.set_window_size(390, 844)
    try:
        width = driver.execute_script("return document.documentElement.clientWidth")
        assert width <= 400
        for name in ("home", "column", "article", "policy", "leader", "service_guide"):
            driver.get(base + by_name[name].path)
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, (name, overflow)
        driver.get(base + by_name["policy"].path)
        labels = driver.execute_script(
            "return [...document.querySelectorAll('.info-index th')].map(th => {"
            "  const range = document.createRange(); range.selectNodeContents(th);"
            "  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));"
            "  return [th.textContent.trim(), tops.size];});")
        assert labels
        broken = [(text, lines) for text, lines in labels if lines > 1]
        assert not broken, broken  # every label on one line, never one character per line
        rows = driver.execute_script(
            "return [...document.querySelectorAll('.info-index tr')].map(tr =>"
            "  new Set([...tr.children].map(c => Math.round(c.getBoundingClientRect().top))).size"
            "  + ':' + tr.children.length);")
        # four cells per row on a wide screen; on a phone two per line (label, value)
        assert all(int(lines) >= int(cells) // 2 for lines, cells in
                   (r.split(":") for r in rows)), rows
        driver.get(base + by_name["column"].path)
        tags = driver.execute_script(
            "return [...document.querySelectorAll('.tag')].map(t =>"
            "  t.getBoundingClientRect().width);")
        assert tags, "the column lists a reprint with its 转载 tag"
        assert max(tags) < 80, tags  # a small tag, not a bar across the screen
    finally:
        driver.set_window_size(1280, 900)
