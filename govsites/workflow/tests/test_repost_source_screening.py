"""CC-07 in the review chain: the 内容检查 step reports a repost without its source, with the
admin's switch of the rule (content/item_checks adds it to the library's findings)."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.content.item_checks import SOURCE_MISSING
from govsites.screening.models import RuleSetting
from govsites.workflow.scanning import scan_item

pytestmark = pytest.mark.django_db
REPOST = "https://www.example.com.cn/news/2026/0601.html"


def test_the_findings_reach_the_review_chain_and_the_admin_can_switch_them_off(
        news_column: Any) -> None:
    item = testing.make_article(news_column, title="转载的新闻", source_url=REPOST)
    findings, _attachments = scan_item(item)
    assert SOURCE_MISSING in [finding.rule_id for finding in findings]
    setting = RuleSetting.objects.get(rule_id=SOURCE_MISSING)
    setting.enabled = False
    setting.save()
    findings, _attachments = scan_item(item)
    assert SOURCE_MISSING not in [finding.rule_id for finding in findings]
