import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites import testing
from govsites.content.exceptions import ItemNotPublishable, PubDateImmutable
from govsites.content.models import InterpretationPage, ServiceGuidePage
from govsites.content.services import change_validity, publish_item, withdraw_item


def test_pub_date_is_fixed_at_first_publication(news_column):
    item = testing.make_article(news_column)
    original = item.first_published_at
    item.body = "<p>修改后的正文</p>"
    publish_item(item=item, acting_user=None)
    item.refresh_from_db()
    assert item.first_published_at == original


def test_pub_date_cannot_be_back_dated(news_column):
    item = testing.make_article(news_column)
    item.first_published_at = timezone.now() - dt.timedelta(days=30)
    with pytest.raises(PubDateImmutable):
        item.save()


def test_interpretation_must_name_its_policy(news_column):
    interp = InterpretationPage(title="无关联的解读", slug="x", body="<p>解读</p>")
    with pytest.raises(ValidationError) as info:
        interp.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    assert "policy" in info.value.message_dict


def test_service_guide_requires_all_ten_elements(news_column):
    guide = ServiceGuidePage(title="办事指南", slug="g", item_name="事项", legal_basis="依据",
                             conditions="条件", materials="材料", location="地点",
                             handling_body="机构", fees="", hours="时间", phone="电话",
                             procedure="流程")
    with pytest.raises(ValidationError) as info:
        guide.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    assert list(info.value.message_dict) == ["fees"]


def test_items_not_proactively_disclosed_cannot_be_published(news_column):
    item = testing.make_article(news_column, publish=False, disclosure_mode="on_request")
    with pytest.raises(ItemNotPublishable):
        publish_item(item=item, acting_user=None)
    item.refresh_from_db()
    assert not item.live


def test_repealed_policy_needs_a_date_and_cannot_supersede_itself(policy_column):
    policy = testing.make_policy(policy_column)
    with pytest.raises(ValidationError):
        change_validity(policy=policy, validity="repealed", changed_on=None, acting_user=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        change_validity(policy=policy, validity="repealed", changed_on=dt.date(2026, 11, 1),
                        superseded_by=policy, acting_user=None)


def test_withdrawal_needs_a_reason(news_column):
    item = testing.make_article(news_column)
    with pytest.raises(ItemNotPublishable):
        withdraw_item(item=item, reason="  ", acting_user=None)
