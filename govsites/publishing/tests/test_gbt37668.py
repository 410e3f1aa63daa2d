"""GB/T 37668-2019 levels (PA-07): axe-core rules map to WCAG 2.0 criteria by axe's own tags,
levels are cumulative and counted from the rule registry, a violation fails only the levels
whose criteria it breaks, and each demo site's pages are graded in the browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govsites import rules
from govsites.publishing.accessibility import AxeRule, assess, highest_level_passed, report_sites
from govsites.publishing.liveserver import chromium_driver, live_app
from govsites.publishing.tests.test_accessibility import build_every_page_type, require_browser
from govsites.rules import services as rule_services

pytestmark = pytest.mark.django_db

IMAGE_ALT = AxeRule.from_tags("image-alt", ["cat.text-alternatives", "wcag2a", "wcag111",
                                            "section508", "EN-301-549"])
DOCUMENT_TITLE = AxeRule.from_tags("document-title", ["cat.text-alternatives", "wcag2a",
                                                      "wcag242"])
CONTRAST = AxeRule.from_tags("color-contrast", ["cat.color", "wcag2aa", "wcag143"])
CONTRAST_ENHANCED = AxeRule.from_tags("color-contrast-enhanced",
                                      ["cat.color", "wcag2aaa", "wcag146"])
REFLOW_ONLY_21 = AxeRule.from_tags("target-size", ["cat.sensory-and-visual-cues", "wcag22aa",
                                                   "wcag258"])
REGION = AxeRule.from_tags("region", ["cat.keyboard", "best-practice"])
RULES = [IMAGE_ALT, DOCUMENT_TITLE, CONTRAST, CONTRAST_ENHANCED, REFLOW_ONLY_21, REGION]


def test_axe_rules_map_to_wcag_20_criteria_by_their_own_tags():
    assert (IMAGE_ALT.criteria, IMAGE_ALT.wcag_level) == (("1.1.1",), "A")
    assert (CONTRAST.criteria, CONTRAST.wcag_level) == (("1.4.3",), "AA")
    assert (CONTRAST_ENHANCED.criteria, CONTRAST_ENHANCED.wcag_level) == (("1.4.6",), "AAA")
    # WCAG 2.1/2.2-only and best-practice rules belong to no GB/T 37668 indicator
    assert (REFLOW_ONLY_21.criteria, REFLOW_ONLY_21.wcag_level) == ((), None)
    assert (REGION.criteria, REGION.wcag_level) == ((), None)


def test_levels_are_cumulative_and_their_indicator_counts_come_from_the_rule_registry():
    levels = assess(RULES, {"/": [], "/a.html": []})
    assert [(r.name, r.indicators) for r in levels] == [("一级", 20), ("二级", 37), ("三级", 58)]
    assert rules.value("accessibility.gbt37668.level_indicators") == {
        "一级": 20, "二级": 37, "三级": 58}
    one, two, three = levels
    assert one.checked == ["1.1.1", "2.4.2"] and one.manual == 18 and one.automated_pass
    assert two.checked == ["1.1.1", "1.4.3", "2.4.2"] and two.manual == 34
    assert three.checked == ["1.1.1", "1.4.3", "1.4.6", "2.4.2"] and three.manual == 54
    assert highest_level_passed(levels) == "三级"
    assert "其余 18 项需人工评测" in one.summary()


def test_a_violation_fails_only_the_levels_whose_criteria_it_breaks():
    levels = assess(RULES, {"/": ["color-contrast", "region"], "/a.html": ["color-contrast"]})
    one, two, three = levels
    assert one.automated_pass and not one.failed
    assert two.failed == {"1.4.3": ["color-contrast @ /", "color-contrast @ /a.html"]}
    assert not two.automated_pass and not three.automated_pass
    assert highest_level_passed(levels) == "一级"
    assert "未通过 1 项（1.4.3）" in two.summary()


def test_a_level_none_of_whose_own_criteria_can_be_checked_is_not_claimed():
    levels = assess([IMAGE_ALT, CONTRAST], {"/": []})
    assert [r.automated_pass for r in levels] == [True, True, False]
    assert highest_level_passed(levels) == "二级"
    assert "不作判断" in levels[2].summary()


def test_when_axe_fails_to_run_no_level_passes():
    levels = assess(RULES, {"/": ["axe-error: TypeError"]})
    assert highest_level_passed(levels) == ""


def test_changing_the_registry_values_changes_the_grading():
    rule_services.set_override(key="accessibility.gbt37668.level_by_wcag",
                               value={"A": "一级", "AA": "三级", "AAA": "三级"},
                               reason="按标准原文核对后调整（测试）", acting_user=None)
    _one, two, three = assess(RULES, {"/": ["color-contrast"]})
    assert two.checked == ["1.1.1", "2.4.2"] and not two.failed
    assert not two.automated_pass  # 二级 then has no criterion of its own that axe checks
    assert "1.4.3" in three.failed


def test_the_command_refuses_an_unknown_site_in_chinese(portal):
    with pytest.raises(CommandError, match=r"没有主机名为 nowhere\.localhost 的网站"):
        call_command("accessibility", "--site", "nowhere.localhost")


@pytest.mark.browser
def test_every_demo_site_passes_the_automated_checks_of_level_two(
        cluster: Any, static_first: Any, tmp_path: Any) -> None:
    require_browser()
    build_every_page_type(cluster)
    sites = [cluster["portal"].site, cluster["dept"].site]
    with live_app(share_connections=True) as address, \
            chromium_driver(tmp_path / "chromium") as driver:
        reports = report_sites(driver, address.rsplit(":", 1)[1], sites)
    for report in reports:
        assert len(report.pages) >= 3, report.pages
        one, two, _three = report.levels
        assert one.checked and one.automated_pass, one.summary()
        assert two.automated_pass, two.summary()
        assert report.highest_level in ("二级", "三级")
