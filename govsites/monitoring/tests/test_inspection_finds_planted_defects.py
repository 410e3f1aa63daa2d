"""The inspector on the fixture site: every planted defect found, nothing on the clean pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govsites.monitoring import crawler
from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import InspectionResult, inspect_site
from govsites.monitoring.netguard import TargetNotAllowed
from govsites.monitoring.rulebook import load_rulebook

from .sitebuilder import AS_OF, CLEAN_PAGES


def _inspect(base: str, as_of: dt.date = AS_OF, **kwargs: Any) -> InspectionResult:
    config = CrawlConfig(start_url=base + "/", max_pages=200, delay=0.0, per_host_concurrency=4,
                         concurrency=4, **kwargs)
    return inspect_site(config, as_of=as_of, rulebook=load_rulebook(""))


@pytest.fixture(scope="module")
def result(fixture_site: dict[str, Any]) -> InspectionResult:
    return _inspect(fixture_site["base"])


def _found_on(result: InspectionResult, rule_id: str, url: str) -> list[Any]:
    return [f for f in result.findings if f.rule_id == rule_id and url in (f.url, f.page)]


@pytest.mark.parametrize("rule_id", [
    "interpretation.unlinked", "policy.validity_missing", "column.stale", "column.empty",
    "page.identity_missing", "page.meta_missing", "content.sensitive",
    "content.expression_error", "content.privacy", "content.spam_injection", "link.commercial",
])
def test_every_planted_defect_is_reported_on_its_page(result: InspectionResult,
                                                       fixture_site: dict[str, Any],
                                                       rule_id: str) -> None:
    url = fixture_site["base"] + fixture_site["defects"][rule_id]
    assert _found_on(result, rule_id, url), (rule_id, url, [
        (f.rule_id, f.url) for f in result.findings])


def test_second_stale_column_of_the_six_month_kind_is_reported(result: InspectionResult,
                                                               fixture_site: dict[str, Any]) -> None:
    url = fixture_site["base"] + fixture_site["defects"]["column.stale#2"]
    [finding] = _found_on(result, "column.stale", url)
    assert finding.extra["limit_days"] == 183
    assert finding.extra["age_days"] == 200


def test_fresh_columns_are_not_stale(result: InspectionResult, fixture_site: dict[str, Any]) -> None:
    stale = {f.url for f in result.findings_for("column.stale")}
    base = fixture_site["base"]
    assert stale == {base + "/dept-news/", base + "/bulletin/"}


def test_broken_internal_attachment_and_external_links_are_reported_with_page_and_text(
        result: InspectionResult, fixture_site: dict[str, Any]) -> None:
    base = fixture_site["base"]
    page = base + fixture_site["defects"]["link.broken"]
    broken = {f.url: f for f in result.findings_for("link.broken")}
    external = f"http://localhost:{fixture_site['port']}/nowhere.html"
    assert set(broken) == {base + "/news/missing.html", base + "/files/gone.pdf", external}
    assert broken[base + "/files/gone.pdf"].extra["kind"] == "attachment"
    assert broken[external].extra["kind"] == "external"
    assert broken[base + "/news/missing.html"].page == page
    assert broken[base + "/news/missing.html"].link_text == "已删除的新闻"


def test_links_outside_the_allowed_networks_are_not_checked_and_not_called_broken(
        result: InspectionResult) -> None:
    not_checked = {s.url: s.not_checked_reason for s in result.not_checked}
    assert "https://beian.miit.gov.cn/" in not_checked
    # outside the loopback-only networks, or (on a machine without DNS) not resolvable at all
    assert not_checked["https://beian.miit.gov.cn/"] in (crawler.NOT_ALLOWED,
                                                        crawler.UNRESOLVED_OFFLINE)
    assert not [f for f in result.findings_for("link.broken") if "beian" in f.url]


@pytest.mark.parametrize("variant", ["display-none", "visibility", "off-screen", "zero-size",
                                     "same-colour", "class-rule"])
def test_each_hidden_link_technique_is_reported_as_spam_injection(
        result: InspectionResult, fixture_site: dict[str, Any], variant: str) -> None:
    url = fixture_site["base"] + fixture_site["defects"][f"hidden:{variant}"]
    findings = [f for f in _found_on(result, "content.spam_injection", url) if "technique" in f.extra]
    assert len(findings) == 1
    assert findings[0].veto


def test_clean_pages_have_no_finding_although_they_mention_numbers_dates_and_other_words(
        result: InspectionResult, fixture_site: dict[str, Any]) -> None:
    base = fixture_site["base"]
    for path in CLEAN_PAGES:
        url = base + path
        assert not [(f.rule_id, f.evidence) for f in result.findings
                    if url in (f.url, f.page)], path


def test_personal_data_is_masked_in_the_evidence(result: InspectionResult) -> None:
    privacy = result.findings_for("content.privacy")
    rules = {f.extra["screening_rule"] for f in privacy}
    assert rules == {"privacy.resident_id", "privacy.mobile", "privacy.bank_card"}
    for finding in privacy:
        assert "13812345678" not in finding.evidence
        assert "*" in finding.evidence
    vetoes = {f.extra["screening_rule"]: f.veto for f in privacy}
    assert vetoes == {"privacy.resident_id": True, "privacy.bank_card": True,
                      "privacy.mobile": False}


def test_a_fresh_home_page_is_not_stale_but_is_two_weeks_later(fixture_site: dict[str, Any],
                                                               result: InspectionResult) -> None:
    assert not result.findings_for("home.stale")
    later = _inspect(fixture_site["base"], as_of=AS_OF + dt.timedelta(days=12))
    [finding] = later.findings_for("home.stale")
    assert finding.veto and finding.extra["age_days"] == 15
    assert "home.stale" in {v.rule_id for v in later.verdict.vetoes}


def test_the_verdict_names_the_rule_that_decided_it(result: InspectionResult) -> None:
    assert result.verdict.label == "单项否决"
    assert result.verdict.decided_by in {v.rule_id for v in result.verdict.vetoes}
    assert result.verdict.decided_because


def test_the_page_budget_limits_the_crawl(fixture_site: dict[str, Any]) -> None:
    small = _inspect(fixture_site["base"], )
    limited = inspect_site(CrawlConfig(start_url=fixture_site["base"] + "/", max_pages=5,
                                       delay=0.0), as_of=AS_OF, rulebook=load_rulebook(""))
    assert limited.pages_crawled == 5 < small.pages_crawled
    assert any(s.not_checked_reason == "超出页面预算，未抓取" for s in limited.not_checked)


def test_a_target_outside_the_allowed_networks_is_refused_in_chinese() -> None:
    with pytest.raises(TargetNotAllowed, match="不在允许访问的网络范围"):
        inspect_site(CrawlConfig(start_url="http://93.184.216.34/", delay=0.0),
                     rulebook=load_rulebook(""))


def test_localhost_subdomains_are_allowed_and_reach_loopback(fixture_site: dict[str, Any]) -> None:
    url = f"http://portal.localhost:{fixture_site['port']}/"
    found = inspect_site(CrawlConfig(start_url=url, max_pages=3, delay=0.0), as_of=AS_OF,
                         rulebook=load_rulebook(""))
    assert found.pages_crawled == 3
    assert not found.findings_for("site.unavailable")
