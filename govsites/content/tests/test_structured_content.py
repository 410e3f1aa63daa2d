"""Content rules of the guideline and the city variants: 办事指南 elements (CC-16), 审图号 (CC-17),
机构职能 (CC-19), 负责人信息 (CC-20) and the required content categories per site kind (CC-21)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.content.models import ArticlePage, LeaderPage, ServiceGuidePage
from govsites.content.selectors import missing_required_column_types
from govsites.content.services import publish_item, unique_child_slug

NATIONAL_ELEMENTS = dict(
    item_name="婚姻登记", legal_basis="《婚姻登记条例》", conditions="双方自愿",
    materials="身份证、户口簿", location="市民政局婚姻登记处", handling_body="市民政局",
    fees="不收费", hours="工作日 9:00-17:00", phone="0753-1234567", procedure="申请、审查、登记")


@pytest.fixture
def services_column(portal_home):
    return testing.make_column(portal_home, title="办事服务", column_type="办事服务")


def _guide(column, **extra):
    guide = ServiceGuidePage(title="婚姻登记办事指南", slug=unique_child_slug(column, "guide"),
                             **NATIONAL_ELEMENTS, **extra)
    column.add_child(instance=guide)
    return guide


def test_service_guide_needs_only_the_ten_national_elements_under_national_rules(
        services_column):
    guide = _guide(services_column)
    guide.full_clean()
    assert [label for label, _v in guide.elements()][-1] == "办理流程"


@pytest.mark.parametrize("variant", ["dandong-2019", "bozhou-2019"])
def test_service_guide_needs_time_limits_notes_and_form_materials_under_dandong_and_bozhou(
        services_column, settings, variant):
    guide = _guide(services_column)  # drafted under the national rules
    settings.GOVSITES_RULES_VARIANT = variant
    with pytest.raises(ValidationError) as refused:
        guide.full_clean()
    assert set(refused.value.message_dict) == {
        "time_limits", "notes", "blank_forms", "form_instructions", "sample_forms"}
    assert "“流程时限”为办事指南必备要素" in refused.value.message_dict["time_limits"][0]
    guide.time_limits, guide.notes = "法定时限 20 个工作日，承诺时限 1 个工作日", "须双方本人到场"
    guide.blank_forms = "《申请结婚登记声明书》空白表（见附件）"
    guide.form_instructions, guide.sample_forms = "用黑色签字笔填写", "《申请结婚登记声明书》填写示例"
    guide.full_clean()
    labels = [label for label, _v in guide.elements()]
    assert labels[-5:] == ["流程时限", "注意事项", "规范表格", "填写说明", "示范文本"]


def test_service_guide_page_shows_the_extra_elements(client, services_column, settings):
    settings.GOVSITES_RULES_VARIANT = "dandong-2019"
    guide = _guide(services_column, time_limits="承诺时限 1 个工作日", notes="须本人到场",
                   blank_forms="空白表", form_instructions="填写说明", sample_forms="示范文本")
    publish_item(item=guide, acting_user=None)
    html = client.get(guide.url, HTTP_HOST="localhost").content.decode()
    assert '<th scope="row">流程时限</th><td>承诺时限 1 个工作日</td>' in html


def test_an_item_carrying_a_map_needs_a_map_approval_number(news_column):
    item = testing.make_article(news_column, title="示例市行政区划图", publish=False)
    item.has_map = True
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "审图号" in refused.value.message_dict["map_approval_number"][0]
    item.map_approval_number = "第123号"
    with pytest.raises(ValidationError):
        item.full_clean()
    item.map_approval_number = "GS(2024)0650号"
    item.full_clean()
    item.map_approval_number = "粤S（2023）123号"
    item.full_clean()


def test_the_map_approval_number_is_shown_under_the_item(client, news_column):
    item = testing.make_article(news_column, title="示例市交通图", publish=False)
    item.has_map, item.map_approval_number = True, "GS(2024)0650号"
    publish_item(item=item, acting_user=None)
    item = ArticlePage.objects.get(pk=item.pk)
    html = client.get(item.url, HTTP_HOST="localhost").content.decode()
    assert "审图号：GS(2024)0650号" in html


def test_organisation_functions_page_shows_duties_bodies_and_contacts_in_one_format(
        client, portal, portal_home):
    column = testing.make_column(portal_home, title="机构职能", column_type="机构职能")
    page = testing.make_organisation_functions(column, organisation=portal.host_organisation)
    html = client.get(page.url, HTTP_HOST="localhost").content.decode()
    assert "主要职责" in html and "内设机构" in html and "<li>办公室：负责机关日常运转。</li>" in html
    assert '<th scope="row">办公地址</th><td>示例市人民大道1号</td>' in html
    assert '<th scope="row">联系电话</th><td>0753-1234567</td>' in html
    page.phone = ""
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "联系电话" in refused.value.message_dict["phone"][0]


def test_leader_page_needs_name_photo_cv_and_responsibilities(client, portal_home):
    column = testing.make_column(portal_home, title="领导信息", column_type="负责人信息")
    leader = testing.make_leader(column, name="李华", position="副市长")
    html = client.get(leader.url, HTTP_HOST="localhost").content.decode()
    assert "李华" in html and "副市长" in html and 'alt="李华"' in html and "主持全面工作" in html
    bare = LeaderPage(title="副市长　王强", slug="wang", person_name="王强", position="副市长")
    with pytest.raises(ValidationError) as refused:
        column.add_child(instance=bare)
    assert set(refused.value.message_dict) >= {"photo", "curriculum_vitae", "responsibilities"}


def test_site_missing_required_categories_are_named_by_site_kind(portal, portal_home, settings):
    assert "机构职能" in missing_required_column_types(portal)
    for column_type in ("概况信息", "机构职能", "负责人信息", "政策文件", "工作动态", "信息公开指南",
                        "信息公开目录", "信息公开年报", "政策解读", "数据发布"):
        testing.make_column(portal_home, title=column_type, column_type=column_type)
    assert missing_required_column_types(portal) == []


def test_dashboard_alerts_administrators_to_sites_missing_required_categories(
        superuser_client, portal):
    html = superuser_client.get("/admin/").content.decode()
    assert "缺少必需栏目的网站" in html and "示例市人民政府" in html and "负责人信息" in html
