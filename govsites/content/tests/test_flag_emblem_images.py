"""CC-18 (亳州 第7条（五）): an item image naming the national flag or emblem raises a reminder with
the manual checklist for the reviewer; the words are rule data."""

from __future__ import annotations

from typing import Any

import pytest

from govsites import testing
from govsites.content.item_checks import FLAG_EMBLEM_IMAGE, item_findings
from govsites.rules import services as rule_services
from govsites.screening import current_screener

pytestmark = pytest.mark.django_db


def _reminders(item: Any) -> list[tuple[str, str]]:
    return [(f.location, f.evidence) for f in item_findings(item, current_screener())
            if f.rule_id == FLAG_EMBLEM_IMAGE]


def test_a_cover_or_body_image_of_the_flag_or_emblem_raises_the_checklist(
        news_column: Any) -> None:
    flag = testing.make_image("升国旗仪式")
    item = testing.make_article(news_column, title="国庆升旗仪式", cover_image=flag)
    [finding] = [f for f in item_findings(item, current_screener())
                 if f.rule_id == FLAG_EMBLEM_IMAGE]
    assert (finding.location, finding.evidence) == ("cover_image", "升国旗仪式")
    assert "标准图案" in finding.context and finding.extra["checklist"] == "CC-18"
    emblem = testing.make_image("市政府大楼")
    item.body = (f'<p>正文</p><embed embedtype="image" id="{emblem.pk}" alt="悬挂国徽的大门" '
                 'format="fullwidth"/>')
    assert set(_reminders(item)) == {("cover_image", "升国旗仪式"), ("body", "悬挂国徽的大门")}


def test_other_images_raise_nothing_and_the_words_are_rule_data(news_column: Any) -> None:
    item = testing.make_article(news_column, title="植树活动",
                                cover_image=testing.make_image("党旗下的誓言"))
    assert _reminders(item) == []
    rule_services.set_override(key="content.flag_emblem.image_words", value=["国旗", "党旗"],
                               reason="党旗同样按规定使用", acting_user=None)
    assert _reminders(item) == [("cover_image", "党旗下的誓言")]
