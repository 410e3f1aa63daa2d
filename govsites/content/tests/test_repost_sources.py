"""CC-07: an item reposted from outside the cluster names its source; under 梁平 and 南通 the source
must be a 党政机关, an authoritative medium or a 稿源单位 on the configurable list. The review
chain's 内容检查 reports both as screening findings, with the admin's severities."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.content.item_checks import SOURCE_MISSING, SOURCE_NOT_ALLOWED, item_findings
from govsites.rules import services as rule_services
from govsites.screening import current_screener

pytestmark = pytest.mark.django_db
REPOST = "https://www.example.com.cn/news/2026/0601.html"


def _rule_ids(item: Any) -> list[str]:
    return [finding.rule_id for finding in item_findings(item, current_screener())]


def _variant(name: str) -> None:
    rule_services.choose_variant(variant=name, reason="本区施行该管理办法", site=None,
                                 acting_user=None)


def test_a_repost_from_outside_the_cluster_must_name_its_source(news_column: Any) -> None:
    unnamed = testing.make_article(news_column, title="转载的新闻", source_url=REPOST)
    [finding] = item_findings(unnamed, current_screener())
    assert finding.rule_id == SOURCE_MISSING and finding.severity == "serious"
    assert finding.location == "source" and finding.extra["checklist"] == "CC-07"
    named = testing.make_article(news_column, title="注明来源的转载", source_url=REPOST,
                                 source="某某商业网")
    assert _rule_ids(named) == []  # nationally any named source will do
    own = testing.make_article(news_column, title="本单位原创")
    assert _rule_ids(own) == []


@pytest.mark.parametrize("variant", ["liangping-2021", "nantong-2019"])
def test_where_the_variant_limits_sources_only_listed_units_may_be_reposted(
        news_column: Any, variant: str) -> None:
    _variant(variant)
    shop = testing.make_article(news_column, title="商业网站文章", source_url=REPOST,
                                source="某某商业网")
    [finding] = item_findings(shop, current_screener())
    assert finding.rule_id == SOURCE_NOT_ALLOWED and finding.evidence == "某某商业网"
    government = testing.make_article(news_column, title="省政府消息", source_url=REPOST,
                                      source="广东省人民政府")  # matches *人民政府
    media = testing.make_article(news_column, title="新华社消息", source_url=REPOST,
                                 source="新华社")
    on_gov_host = testing.make_article(news_column, title="部委消息",
                                       source_url="https://www.mee.gov.cn/a.html",
                                       source="生态环境部网站")  # a host under gov.cn
    assert [_rule_ids(i) for i in (government, media, on_gov_host)] == [[], [], []]


def test_the_list_of_source_units_is_rule_data(news_column: Any) -> None:
    _variant("nantong-2019")
    item = testing.make_article(news_column, title="稿源单位文章", source_url=REPOST,
                                source="示例日报社")
    assert _rule_ids(item) == [SOURCE_NOT_ALLOWED]
    rule_services.set_override(key="repost.allowed_sources", value=["示例日报社"],
                               reason="市委宣传部确定的稿源单位", acting_user=None)
    assert _rule_ids(item) == []
