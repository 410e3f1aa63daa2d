"""The inspector's link timeout and hidden-link distance come from the rule set (PA-05, RS-13)."""

from __future__ import annotations

import pytest

from govsites.monitoring.crawler import CrawlConfig
from govsites.monitoring.inspector import with_rule_values
from govsites.monitoring.rulebook import load_rulebook
from govsites.rules.services import set_override

pytestmark = pytest.mark.django_db


def test_the_crawl_takes_the_national_link_timeout_and_hidden_link_distance() -> None:
    config = with_rule_values(CrawlConfig(start_url="http://127.0.0.1/"), load_rulebook())
    assert config.timeout == 15 and config.offscreen_px == 500


def test_an_administrators_override_changes_the_crawl_and_a_value_set_on_the_crawl_wins() -> None:
    set_override(key="link.broken.timeout_seconds", value=30, reason="省级检查按30秒",
                 acting_user=None)
    set_override(key="content.spam_injection.offscreen_px", value=1200, reason="测试",
                 acting_user=None)
    rulebook = load_rulebook()
    config = with_rule_values(CrawlConfig(start_url="http://127.0.0.1/"), rulebook)
    assert config.timeout == 30 and config.offscreen_px == 1200
    explicit = with_rule_values(CrawlConfig(start_url="http://127.0.0.1/", timeout=0.5), rulebook)
    assert explicit.timeout == 0.5 and explicit.offscreen_px == 1200
